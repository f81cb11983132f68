"""What a build for a provider warns about (the registry, dripmail.providers, imports only
provider modules)."""

from __future__ import annotations

from dripmail import providers
from dripmail.models import EmailSequence
from dripmail.providers import images


def build_warnings(sequence: EmailSequence) -> tuple[str, ...]:
    """What a build of `sequence` for its provider should warn about: for the generic
    provider, an unsubscribe link that is missing or not https (no one-click unsubscribe);
    images a mailbox cannot load; and the provider module's own `warnings(sequence)`, if any."""
    name = sequence.settings.provider
    out: list[str] = []
    if name == "generic":
        out += _generic_unsubscribe(sequence)
    out += images.warnings(sequence, bundled=name == "mailchimp")  # its zip carries them
    own = getattr(providers.get(name), "warnings", None) if name in providers.NAMES else None
    return tuple(out + (own(sequence) if own else []))


def _generic_unsubscribe(sequence: EmailSequence) -> list[str]:
    """The same words for every sequence (a build prints each warning once)."""
    url = sequence.settings.unsubscribe_url
    if not url:
        return ["no unsubscribe_url is set: the emails show a '{{ unsubscribe_url }}' "
                "placeholder and the .eml files offer only a mailto unsubscribe (no one-click "
                "List-Unsubscribe-Post); set unsubscribe_url in dripmail.toml to your list's "
                "https unsubscribe link, or build for your provider with --provider"]
    if not url.lower().startswith("https://"):
        return ["unsubscribe_url is not https, so the .eml files carry no one-click "
                "List-Unsubscribe-Post (RFC 8058 needs https); use an https link"]
    return []
