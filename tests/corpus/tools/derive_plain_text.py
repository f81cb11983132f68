"""Make the derived plain-text corpus files (see tests/corpus/SOURCES.md).

Not part of dripmail and not run by the tests: it documents (and reproduces) how the
tests/corpus/txt/derived-*.txt files were made. Needs Python-Markdown and lxml (already
dripmail dependencies' dependencies), markdown-it-py 3.x (`pip install --target /tmp/mdit
"markdown-it-py==3.*"`, run with PYTHONPATH=/tmp/mdit) and Playwright with /usr/bin/chromium.
Run from the repository root: `PYTHONPATH=/tmp/mdit python tests/corpus/tools/derive_plain_text.py`.

Method A ("pasted from a document"): render the article to HTML, then write one line per
paragraph / heading / list item / table row / code line, no blank lines, "•" "◦" "▪" bullets
(4 spaces per nesting level), ordered items numbered "1." ..., table cells joined by TAB,
images and horizontal rules dropped, link text kept without URLs, whitespace inside a
paragraph collapsed to single spaces.
Method B ("copied from the browser"): open the rendered page in Chromium (no network, no page
CSS) and copy the article's text with the selection API: window.getSelection().toString()
after selecting the article element's contents — what Ctrl+C puts on the clipboard as text.
"""

import re
from pathlib import Path

import markdown
from lxml import html as lhtml
from markdown_it import MarkdownIt

CORPUS = Path(__file__).resolve().parent.parent
BLOCKS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "pre",
    "blockquote",
    "table",
    "dl",
    "hr",
    "div",
    "figure",
    "figcaption",
    "li",
    "dt",
    "dd",
}
GLYPHS = ["•", "◦", "▪"]


def inline_text(el):
    """Text of an element without its nested lists/blocks, whitespace collapsed."""
    parts = [el.text or ""]
    for child in el:
        if child.tag in ("ul", "ol", "pre", "table", "p", "blockquote", "dl", "div"):
            parts.append(child.tail or "")
            continue
        if child.tag == "img":
            parts.append(child.tail or "")
            continue
        if child.tag == "br":
            parts.append("\x00" + (child.tail or ""))
            continue
        parts.append(inline_text(child) + (child.tail or ""))
    text = "".join(parts)
    return "\n".join(re.sub(r"[ \t\r\n]+", " ", t).strip() for t in text.split("\x00"))


def walk(el, out, level=0, prefix=""):
    tag = el.tag
    if tag in ("h1", "h2", "h3", "h4", "h5", "h6", "p", "dt", "dd", "figcaption"):
        t = inline_text(el)
        if t:
            out.extend(("    " * level + line) for line in t.split("\n"))
    elif tag in ("ul", "ol"):
        n = int(el.get("start", "1"))
        for li in el.findall("li"):
            mark = GLYPHS[min(level, 2)] if tag == "ul" else f"{n}."
            n += 1
            first = inline_text(li)
            rest = list(li)
            if not first and rest and rest[0].tag == "p":
                first = inline_text(rest[0])
                rest = rest[1:]
            elif first:
                rest = [c for c in rest if c.tag in BLOCKS]
            out.append("    " * level + f"{mark} {first}")
            for child in rest:
                if child.tag in BLOCKS:
                    walk(child, out, level + 1)
    elif tag == "pre":
        code = el.text_content().rstrip("\n")
        out.extend(code.split("\n"))
    elif tag == "table":
        for tr in el.iter("tr"):
            cells = [c for c in tr if c.tag in ("td", "th")]
            cells = [re.sub(r"\s+", " ", c.text_content()).strip() for c in cells]
            out.append("\t".join(cells))
    elif tag in ("hr", "img"):
        return
    else:  # blockquote, div, figure, dl, body ...
        loose = (el.text or "").strip()
        if loose:
            out.append("    " * level + re.sub(r"\s+", " ", loose))
        for child in el:
            if isinstance(child.tag, str):
                walk(child, out, level)


def method_a(body_html):
    root = lhtml.fragment_fromstring(body_html, create_parent="div")
    out = []
    walk(root, out)
    return "\n".join(out) + "\n"


def method_b(page_html, selector):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.route(
            "**/*",
            lambda route: (
                route.abort()
                if not route.request.url.startswith("data:")
                and route.request.resource_type != "document"
                else route.continue_()
            ),
        )
        page.set_content(page_html, wait_until="domcontentloaded")
        text = page.evaluate(
            """sel => {
            const r = document.createRange();
            r.selectNodeContents(document.querySelector(sel));
            const s = window.getSelection(); s.removeAllRanges(); s.addRange(r);
            return s.toString(); }""",
            selector,
        )
        browser.close()
    return text.rstrip("\n") + "\n"


def front_matter_yaml(src):
    m = re.match(r"---\n(.*?)\n---\n", src, re.S)
    title = re.search(r"^title: (.*)$", m.group(1), re.M).group(1).strip().strip("'\"")
    return title, src[m.end() :]


def mdit(text):
    return MarkdownIt("commonmark").enable("table").render(text)


def hacking_academia():
    src = (CORPUS / "md/pelican-jakevdp-hacking-academia.md").read_text()
    header, body = src.split("\n\n", 1)
    title = re.search(r"^Title: (.*)$", header, re.M).group(1)
    body = body.replace("$\\$$", "$")  # what MathJax displays on the site
    body = re.sub(r"^\{% img [^%]*%\}$", "", body, flags=re.M)  # liquid_tags image: not copied
    html = f"<h1>{title}</h1>\n" + markdown.markdown(body, extensions=["extra"])
    return method_a(html)


GH_VARS = {
    "variables.product.github": "GitHub",
    "variables.product.prodname_dotcom": "GitHub",
    "variables.product.prodname_learning": "GitHub Skills",
}
GH_REUSABLES = {  # github/docs data/reusables/repositories/*.md (click-create not in the index)
    "create_new": '1. In the upper-right corner of any page, select {% octicon "plus" '
    'aria-label="Create something new" %}, then click **New repository**.\n\n'
    "   ![Screenshot](/x.png)",
    "add-description": '1. In the "Description" box, type a short description.',
    "select-public-or-private": (
        "1. Select whether your repository will be **Public** or **Private**."
    ),
    "add-readme": "1. Select **Add a README file**.",
    "click-create": "1. Click **Create repository**.",
}
GH_TITLES = {  # AUTOTITLE: the linked article's title, as docs.github.com shows it
    "creating-an-account-on-github": "Creating an account on GitHub",
    "setting-up-your-profile": "Setting up your profile",
    "about-pull-request-reviews": "About pull request reviews",
    "github-flow": "GitHub flow",
}


def github_liquid(text):
    reusable = r"\{% data reusables\.repositories\.([\w-]+) %\}"
    text = re.sub(reusable, lambda m: GH_REUSABLES[m.group(1)], text)
    text = re.sub(r"\{% data (variables\.product\.\w+) %\}", lambda m: GH_VARS[m.group(1)], text)
    text = re.sub(r"\{% octicon [^%]*%\}", "", text)
    text = re.sub(r"\{% (ifversion [^%]*|endif) %\}", "", text)

    def title(m):
        return f"[{GH_TITLES[m.group(1).rsplit('/', 1)[1]]}]({m.group(1)})"

    return re.sub(r"\[AUTOTITLE\]\(([^)]+)\)", title, text)


def hello_world():
    src = (CORPUS / "md/github-docs-hello-world.md").read_text()
    title, body = front_matter_yaml(src)
    intro = re.search(r"^intro: (.*)$", src, re.M).group(1)
    html = f"<h1>{title}</h1>\n" + mdit(github_liquid(intro + "\n\n" + body))
    return method_a(html)


def mdn(name):
    src = (CORPUS / f"md/{name}.md").read_text()
    title, body = front_matter_yaml(src)
    body = re.sub(r"^\{\{.*\}\}$\n?", "", body, flags=re.M)  # sidebar / prev-next macros
    return f"<h1>{title}</h1>\n" + mdit(body)


def rust_page():
    page = (CORPUS / "html/rust-blog-fearless-concurrency.html").read_text()
    return method_b(page, "section.white")


def mdn_es():
    return method_a(mdn("mdn-es-como-funciona-la-web"))


def mdn_de():
    article = mdn("mdn-de-wie-soll-ihre-webseite-aussehen")
    page = f"<!doctype html><meta charset=utf-8><body><article>{article}</article>"
    return method_b(page, "article")


def main():
    out = CORPUS / "txt"
    jobs = {
        "derived-gdocs-hacking-academia.txt": hacking_academia,
        "derived-gdocs-github-hello-world.txt": hello_world,
        "derived-gdocs-mdn-es-como-funciona-la-web.txt": mdn_es,
        "derived-browser-copy-rust-fearless-concurrency.txt": rust_page,
        "derived-browser-copy-mdn-de-webseite-aussehen.txt": mdn_de,
    }
    for name, job in jobs.items():
        text = job()
        (out / name).write_text(text, encoding="utf-8")
        print(name, len(text.split()), "words")


if __name__ == "__main__":
    main()
