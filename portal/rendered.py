"""Markup that many page views render identically, kept per process.

The key must hold everything the markup shows (language, labels, links, what is selected), so that a
change gives a new key rather than stale markup; the memo is emptied when it holds too many versions.
"""


class RenderedOnce:
    def __init__(self, up_to=500):
        self.up_to = up_to
        self._html = {}

    def get(self, key, render):
        html = self._html.get(key)
        if html is None:
            html = render()
            if len(self._html) >= self.up_to:
                self._html.clear()
            self._html[key] = html
        return html
