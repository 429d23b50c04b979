"""Reading back the HTML report in tests: its text, its tags and attributes, its nesting."""

from __future__ import annotations

from html.parser import HTMLParser

VOID = {"meta", "br", "hr", "img", "input", "link", "col", "wbr", "source"}
INLINE = {"a", "b", "strong", "em", "i", "span", "code", "small"}


class ParsedHtml(HTMLParser):
    """Text, start tags with attributes, and nesting errors of an HTML document."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text_parts: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.errors: list[str] = []
        self._open: list[str] = []
        self._in_style = False
        self.feed(html)
        self.close()
        if self._open:
            self.errors.append(f"unclosed: {self._open}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in INLINE:
            self.text_parts.append(" ")
        if tag == "style":
            self._in_style = True
        if tag not in VOID:
            self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag not in INLINE:
            self.text_parts.append(" ")
        if tag == "style":
            self._in_style = False
        if not self._open or self._open[-1] != tag:
            self.errors.append(f"</{tag}> closes {self._open[-1:] or 'nothing'}")
            return
        self._open.pop()

    def handle_data(self, data: str) -> None:
        if not self._in_style:
            self.text_parts.append(data)

    @property
    def text(self) -> str:
        """All visible text, whitespace collapsed."""
        return " ".join("".join(self.text_parts).split())
