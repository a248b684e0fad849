"""The council's brand: colour arithmetic (WCAG 2.2 contrast) and the logo's safety check."""

import re
from xml.etree import ElementTree

from django.utils.translation import gettext as _


def _channel(value: int) -> float:
    scaled = value / 255
    return scaled / 12.92 if scaled <= 0.03928 else ((scaled + 0.055) / 1.055) ** 2.4


def relative_luminance(hex_colour: str) -> float:
    red, green, blue = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast_ratio(first: str, second: str) -> float:
    """The WCAG contrast ratio of two "#rrggbb" colours, from 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# The council's logo -------------------------------------------------------------------

MAX_LOGO_BYTES = 1024 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
XLINK_NAMESPACE = "http://www.w3.org/1999/xlink"

#: Drawing elements a logo needs. Anything else (script, foreignObject, style, image,
#: animation, iframe, an element from another namespace) makes the file unacceptable.
SVG_ELEMENTS = frozenset(
    {
        "svg",
        "g",
        "defs",
        "title",
        "desc",
        "path",
        "rect",
        "circle",
        "ellipse",
        "line",
        "polyline",
        "polygon",
        "text",
        "tspan",
        "linearGradient",
        "radialGradient",
        "stop",
        "clipPath",
        "mask",
        "symbol",
        "use",
        "metadata",
    }
)
_UNSAFE_VALUE = re.compile(r"javascript:|data:|expression\s*\(|url\s*\(\s*['\"]?(?!#)", re.I)


class LogoRejected(ValueError):
    """The uploaded logo is not a safe SVG or a real PNG; the message says why."""


def check_logo(name: str, content: bytes) -> None:
    """Raise LogoRejected unless `content` is a PNG or a plain, script-free SVG of 1 MB or less.

    SVGs are refused rather than cleaned: a logo is made once by a designer, so asking
    for a clean file is better than silently changing how it looks.
    """
    if len(content) > MAX_LOGO_BYTES:
        raise LogoRejected(_("The logo must be 1 MB or smaller."))
    lowered = name.lower()
    if lowered.endswith(".png"):
        if not content.startswith(PNG_SIGNATURE):
            raise LogoRejected(_("The file is called .png but is not a PNG image."))
        return
    if lowered.endswith(".svg"):
        _check_svg(content)
        return
    raise LogoRejected(_("The logo must be an SVG or PNG file."))


def _check_svg(content: bytes) -> None:
    if b"<!DOCTYPE" in content.upper() or b"<!ENTITY" in content.upper():
        raise LogoRejected(_("The SVG must not contain a document type or entities."))
    # The parser drops processing instructions silently, so look for them in the bytes:
    # only the XML declaration itself may appear (an xml-stylesheet could load anything).
    instructions = re.findall(rb"<\?\s*([^\s?>]*)", content)
    declaration_only = not instructions or (
        instructions == [b"xml"] and content.lstrip().startswith(b"<?xml")
    )
    if not declaration_only:
        raise LogoRejected(
            _("The SVG must not contain processing instructions such as xml-stylesheet.")
        )
    try:
        # Safe without defusedxml: entity attacks need a DOCTYPE, refused just above.
        root = ElementTree.fromstring(content)  # noqa: S314
    except ElementTree.ParseError as error:
        raise LogoRejected(_("The SVG is not well-formed XML.")) from error
    if root.tag != f"{{{SVG_NAMESPACE}}}svg":
        raise LogoRejected(_("The file is not an SVG image."))
    for element in root.iter():
        namespace, _sep, local = element.tag.rpartition("}")
        if namespace.lstrip("{") != SVG_NAMESPACE or local not in SVG_ELEMENTS:
            message = _("The SVG contains a “%(element)s” element, which a logo may not use.")
            raise LogoRejected(message % {"element": local})
        for attribute, value in element.attrib.items():
            _check_svg_attribute(attribute, value)


def _check_svg_attribute(attribute: str, value: str) -> None:
    local = attribute.rpartition("}")[2]
    if local.lower().startswith("on"):
        message = _("The SVG contains an event handler (“%(attribute)s”), which is not allowed.")
        raise LogoRejected(message % {"attribute": local})
    if local == "href" and not value.startswith("#"):
        raise LogoRejected(_("The SVG links to another file; a logo must be self-contained."))
    if _UNSAFE_VALUE.search(value):
        message = _("The SVG attribute “%(attribute)s” refers to outside content or code.")
        raise LogoRejected(message % {"attribute": local})
