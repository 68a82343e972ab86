"""Parts of pages rendered once and kept between requests: the header (web.HeaderNav), a bank's
practice card on the home page (main/practice.py), the events of a teacher's bank page
(teacher/views.py bank_body), a quiz report's figures and the report pages' filter form
(reports/views.py), the attempt pages' fixed links (quiz/views.py page_links).

One policy for all of them:
- what is kept is found by a key that holds everything its HTML follows from (a bank's version, the
  language, the number style, the kind of user...) and the compiled template it came from, so that
  another app in the same process, or a template read again, never finds another's HTML;
- nothing is kept while templates reload (debugging: an edit shows at once);
- a store holds at most `most` parts, then is emptied at once (no order to keep);
- nothing of one request is kept: where a page writes a value of its own (its CSRF token, its path),
  the part is rendered with a placeholder there, kept split at it, and filled at each request;
- a large part is kept as Printed (kept_part renders and keeps one), which a template writes
  without searching it again.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Hashable, MutableMapping, Sequence
from typing import Any

from flask import current_app, render_template
from markupsafe import Markup


def kept(store: MutableMapping[Hashable, Any], template: Any, key: tuple) -> Any:
    """What `store` keeps for `key` rendered from `template` (the compiled one), or None."""
    found = store.get(key)
    return found[1] if found is not None and found[0] is template else None


def keep(store: MutableMapping[Hashable, Any], template: Any, key: tuple, value: Any, most: int) -> Any:
    """Keep `value` (rendered from `template`) under `key`, unless templates reload; `value`."""
    if not current_app.jinja_env.auto_reload:
        if len(store) >= most:
            store.clear()
        store[key] = (template, value)
    return value


def kept_part(
    store: MutableMapping[Hashable, Any], name: str, key: tuple | None, most: int, context: Callable[[], dict]
) -> Printed:
    """The part rendered from the template `name` (the page's language's) with `context()`, kept in
    `store` under `key` as Printed; with no key, rendered each time and not kept."""
    template = current_app.jinja_env.get_template(name)
    if key is not None:
        found = kept(store, template, key)
        if found is not None:
            return found
    html = Printed(render_template(template, **context()))
    return html if key is None else keep(store, template, key, html, most)


class Printed:
    """A kept part's HTML as a template writes it: `{{ part }}` writes it as it is (its __html__).

    Every value a template prints passes quizapp.web.neutralise_bidi, which searches a text for bidi
    controls; a part's values passed it one by one when it was rendered, and a report's 70,000
    characters searched again at each request cost 0.5 ms. Not a str, so it is not searched again;
    nor can it be joined to another text by mistake and carry that text past the search.
    """

    __slots__ = ("html",)

    def __init__(self, html: str) -> None:
        self.html = str(html)

    def __html__(self) -> str:
        return self.html


class Holes:
    """Places in a kept part where each request writes its own value: `places` to render the part
    with, `split` to keep it in pieces, `fill` to write this request's values in."""

    def __init__(self, *names: str) -> None:
        self.places = {name: f"kept-{name}-{secrets.token_hex(8)}" for name in names}
        self._split = re.compile("(" + "|".join(self.places.values()) + ")")

    def split(self, html: str) -> tuple[str, ...]:
        """The part in pieces, each place a piece of its own. The places are random for each process
        and never sent (each is filled before a page goes out): no text holds one but by a chance
        of one in 2**64."""
        return tuple(self._split.split(html))

    def fill(self, pieces: Sequence[str], **values: str) -> Markup:
        """The part with each place replaced by this request's value (already escaped: the caller
        writes it as the template would)."""
        by_place = {self.places[name]: value for name, value in values.items()}
        return Markup("".join([by_place.get(piece, piece) for piece in pieces]))
