"""The type and colour rules share what they work out between emails (checks/paint.py): the
findings must be the same as with the reference path (DRIPMAIL_REFERENCE=1: every element its
own context, nothing kept between emails), and dark-mode colours matched per context must equal
those matched per element by XPath."""

from __future__ import annotations

import lxml.html
from hypothesis import given, settings
from hypothesis import strategies as st

from dripmail.checks import rules_type
from dripmail.checks.model import EmailDoc
from dripmail.checks.paint import Paint

STYLES = ["", "color:#777777", "color:#222222", "background-color:#111111",
          "background:#f5f5f5 url(x.png)", "font-size:12px", "font-size:0.8em",
          "font:bold 20px Arial", "font-weight:700;font-size:19px", "color:rgba(0,0,0,0.4)",
          "background-color:rgba(0,0,0,0.5)", "font-size:smaller", "display:none"]
CLASSES = ["", "dm-bg", "dm-text", "card", "card dm-text", "btn"]
TAGS = ["div", "p", "td", "a", "span", "h1", "strong", "font"]
SELECTORS = [".dm-bg", ".dm-text", "p", ".card a", "td .dm-text", "div p", ".card, .btn", "a"]
COMPLEX = ["td > p", "[bgcolor] p", "p:first-child", "#main a"]
DECLS = ["color: #eeeeee !important", "background-color: #111111 !important",
         "color: #333333 !important", "background: #222222 !important"]


def _element(tag: str, style: str, cls: str, bgcolor: bool, inner: list[str]) -> str:
    attrs = (f' style="{style}"' if style else "") + (f' class="{cls}"' if cls else "")
    attrs += ' bgcolor="#000000"' if bgcolor else ""
    attrs += ' color="#888888"' if tag == "font" else ""
    return f"<{tag}{attrs}>text {''.join(inner)} tail</{tag}>"


element = st.recursive(
    st.just("<p>Some words</p>"),
    lambda kids: st.builds(_element, st.sampled_from(TAGS), st.sampled_from(STYLES),
                           st.sampled_from(CLASSES), st.booleans(), st.lists(kids, max_size=3)),
    max_leaves=20)
dark_rule = st.tuples(st.sampled_from(SELECTORS + COMPLEX), st.sampled_from(DECLS))


def _doc(body: str, rules: list[tuple[str, str]], n: int) -> EmailDoc:
    css = "".join(f"{sel} {{ {decl}; }}\n" for sel, decl in rules)
    style = f"<style>@media (prefers-color-scheme: dark) {{ {css} }}</style>" if rules else ""
    html = f"<html><head>{style}</head><body id='main'>{body}</body></html>"
    return EmailDoc(file=f"e{n}.html", sequence="s", position=1, total=1, day=0, subject="s",
                    preheader="p", html=html, text="t")


def _findings(doc: EmailDoc, run: Paint) -> list:
    return [*rules_type.font_size_rule(doc, run), *rules_type.contrast_rule(doc, run),
            *rules_type.contrast_dark(doc, run)]


def _together(docs: list[EmailDoc], run: Paint | None = None) -> list:
    """The findings of emails checked one after another in one run, sharing what it works out."""
    run = run or Paint()
    return [_findings(doc, run) for doc in docs]


def _alone(docs: list[EmailDoc]) -> list:
    """The reference: each element its own context, nothing kept from one email to the next."""
    run = Paint(shared=False)
    return [_findings(doc, run) for doc in docs]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.lists(element, min_size=1, max_size=3),
                          st.lists(dark_rule, max_size=4)), min_size=2, max_size=4))
def test_shared_contexts_give_the_findings_of_each_email_alone(emails) -> None:
    docs = [_doc("".join(body), rules, n) for n, (body, rules) in enumerate(emails)]
    assert _together(docs) == _alone(docs)


@settings(max_examples=60, deadline=None)
@given(st.lists(element, min_size=1, max_size=3),
       st.lists(st.tuples(st.sampled_from(SELECTORS), st.sampled_from(DECLS)), min_size=1,
                max_size=5))
def test_dark_colours_per_context_equal_per_element_matching(body, rules) -> None:
    doc = _doc("".join(body), rules, 0)
    dark = rules_type._dark_rules(doc)
    assert not rules_type._sheet(dark)[1]  # simple selectors: all matched per context
    by_context = rules_type.dark_override(doc, Paint())
    by_element = rules_type._per_element(doc, dark)
    for el in doc.tree.iter():
        if isinstance(el.tag, str):
            assert dict(by_context(el)) == by_element.get(el, {})


@settings(max_examples=60, deadline=None)
@given(st.lists(element, min_size=1, max_size=3),
       st.lists(st.tuples(st.sampled_from(SELECTORS + COMPLEX), st.sampled_from(DECLS)),
                min_size=1, max_size=5))
def test_mixed_selectors_equal_per_element_matching(body, rules) -> None:
    """Chains per context, the other selectors by XPath per element: the same winners."""
    doc = _doc("".join(body), rules, 0)
    dark = rules_type._dark_rules(doc)
    mixed = rules_type.dark_override(doc, Paint())
    by_element = rules_type._per_element(doc, dark)
    for el in doc.tree.iter():
        if isinstance(el.tag, str):
            assert dict(mixed(el)) == by_element.get(el, {})


def test_a_complex_selector_is_matched_per_element() -> None:
    doc = _doc('<table><tr><td><p style="color:#222222">Dark text</p></td></tr></table>',
               [("td > p", "color: #eeeeee !important"),
                (".dm-bg", "background-color: #000000 !important")], 0)
    assert len(rules_type._sheet(rules_type._dark_rules(doc))[1]) == 1
    found = list(rules_type.contrast_dark(doc, Paint()))
    assert len(found) == 1 and "dark mode: text #eeeeee on #ffffff" in found[0][1]


def test_contexts_are_shared_between_emails_of_one_run() -> None:
    run = Paint()
    one = _doc('<div class="card"><p style="color:#333333">One</p></div>', [], 0)
    two = _doc('<div class="card"><p style="color:#333333">Two, other words</p></div>', [], 1)
    _findings(one, run)
    before = len(run._contexts)
    _findings(two, run)
    assert len(run._contexts) == before  # nothing new to work out
    assert lxml.html.tostring(two.tree)  # the trees themselves are untouched
    assert len(Paint()._contexts) == 0  # another run starts with nothing


def test_tables_are_reset_between_emails_when_they_grow(monkeypatch) -> None:
    monkeypatch.setattr("dripmail.checks.paint.LIMIT", 3)
    docs = [_doc(f'<div class="card"><p style="color:#{n}{n}{n}">Text {n}</p></div>',
                 [(".card p", "color: #eeeeee !important")], n) for n in range(1, 6)]
    run = Paint()
    assert _together(docs, run) == _alone(docs)
    assert len(run._contexts) < 3 * 4
