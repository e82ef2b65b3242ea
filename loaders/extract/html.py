"""HTML into the plain text an article is stored as: scripts, styles, navigation
and page furniture dropped, block elements on their own lines.

Built on the standard library's tolerant parser: it never recurses, so deeply
nested or unclosed tags cost nothing more than their length."""
from html.parser import HTMLParser

# Elements whose content is never article text.
_SKIP = {"script", "style", "noscript", "template", "svg", "math", "iframe", "object", "canvas",
         "nav", "header", "footer", "aside", "form", "button", "select", "head", "menu", "dialog"}
_BLOCK = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol",
          "blockquote", "pre", "table", "tr", "dl", "dt", "dd", "figure", "figcaption", "hr", "br",
          "address", "details", "summary", "caption", "thead", "tbody", "tfoot"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "param",
         "source", "track", "wbr"}


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out, self.skip, self.title, self._in_title, self.h1 = [], [], [], False, None
        self._h1_parts = None

    def handle_starttag(self, tag, attrs):
        if tag == "title":
            self._in_title = True
        if tag in _SKIP and tag not in _VOID:
            self.skip.append(tag)
        elif tag in _BLOCK:
            self.out.append("\n")
        if tag in ("td", "th"):
            self.out.append(" | ")
        if tag == "h1" and self.h1 is None and not self.skip:
            self._h1_parts = []

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCK:
            self.out.append("\n")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if self.skip and tag in _SKIP:
            # close up to the matching open tag; a stray end tag closes nothing
            if tag in self.skip:
                while self.skip and self.skip.pop() != tag:
                    pass
            return
        if tag in _BLOCK:
            self.out.append("\n")
        if tag == "h1" and self._h1_parts is not None:
            self.h1 = " ".join("".join(self._h1_parts).split())
            self._h1_parts = None

    def handle_data(self, data):
        if self._in_title:
            self.title.append(data)
        if self.skip:
            return
        self.out.append(data)
        if self._h1_parts is not None:
            self._h1_parts.append(data)


def html_to_text(html: str) -> tuple[str, str | None]:
    """(text, title) of an HTML document."""
    p = _TextParser()
    p.feed(html)
    p.close()
    lines = []
    for raw in "".join(p.out).split("\n"):
        line = " ".join(raw.split())
        if line.strip(" |"):
            lines.append(line)
    title = " ".join("".join(p.title).split()) or p.h1
    return "\n\n".join(lines) + ("\n" if lines else ""), title
