"""Read a chart's drawing and its table from a page, to compare their figures."""

import html5lib

SVG = "{http://www.w3.org/2000/svg}"


def parse(content: bytes | str):
    return html5lib.parse(content, namespaceHTMLElements=False)


def drawn_values(document, slug: str) -> list[tuple[str, str]]:
    """(value, text) of each figure written in the chart ``slug``, in drawing order."""
    svg = document.find(f".//{SVG}svg[@id='{slug}-graphique']")
    assert svg is not None, f"pas de graphique {slug}"
    return [
        (text.get("data-value"), "".join(text.itertext()))
        for text in svg.iter(f"{SVG}text")
        if "dashboard-value" in (text.get("class") or "")
    ]


def table_values(document, slug: str) -> list[list[tuple[str, str]]]:
    """(value, text) of the cells of each row of the table beside the chart ``slug``."""
    table = document.find(f".//table[@id='{slug}-donnees']")
    assert table is not None, f"pas de tableau {slug}"
    return [
        [(cell.get("data-value"), "".join(cell.itertext())) for cell in row.findall("td")]
        for row in table.find("tbody").findall("tr")
    ]


def svg_names(document, slug: str) -> tuple[str, str, list[str]]:
    """The chart's role, and the texts of the elements its aria-labelledby names."""
    svg = document.find(f".//{SVG}svg[@id='{slug}-graphique']")
    ids = svg.get("aria-labelledby").split()
    texts = []
    for ident in ids:
        found = [el for el in svg.iter() if el.get("id") == ident]
        assert len(found) == 1, ident
        texts.append("".join(found[0].itertext()))
    tags = [el.tag.removeprefix(SVG) for el in svg if el.get("id") in ids]
    return svg.get("role"), " ".join(tags), texts
