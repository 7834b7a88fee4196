"""The mallette as a member reads it, and as files to take away (Markdown, PDF)."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from fpdf import FPDF

from apprenance.core.highlight import plain_text
from apprenance.practices.models import Practice, ToolkitItem

PRACTICE_PARTS = [
    ("context", gettext_lazy("Le contexte")),
    ("what_we_did", gettext_lazy("Ce que nous avons fait")),
    ("results", gettext_lazy("Les résultats")),
    ("difficulties", gettext_lazy("Les difficultés")),
    ("victories", gettext_lazy("Les victoires")),
]
INK, MUTED, ACCENT = (33, 37, 41), (95, 99, 104), (31, 92, 153)


def visible_sections(toolkit, member) -> list[tuple]:
    """(section, items) in order, holding only the published practices the member may read."""
    visible = Practice.objects.published().visible_to(member).values("pk")
    items = (
        ToolkitItem.objects.filter(section__toolkit=toolkit, practice__in=visible)
        .select_related("practice__author", "practice__organisation", "practice__team")
        .order_by("section__position", "section__pk", "position", "pk")
    )
    by_section = {section.pk: (section, []) for section in toolkit.sections.all()}
    for item in items:
        by_section[item.section_id][1].append(item)
    return list(by_section.values())


def toolkit_markdown(toolkit, sections) -> str:
    lines = [f"# {toolkit.title}", ""]
    if toolkit.description:
        lines += [toolkit.description.strip(), ""]
    lines += [f"## {_('Sommaire')}", ""]
    for number, (section, items) in enumerate(sections, start=1):
        lines.append(f"{number}. {section.title}")
        lines.extend(f"   - {item.practice.title}" for item in items)
    lines.append("")
    for section, items in sections:
        lines += [f"## {section.title}", ""]
        for item in items:
            practice = item.practice
            origin = f"{practice.author.full_name}, {practice.organisation.name}"
            lines += [f"### {practice.title}", "", f"*{practice.get_kind_display()} — {origin}*", ""]
            if item.note:
                lines += [f"> {item.note.strip()}", ""]
            for name, label in PRACTICE_PARTS:
                text = getattr(practice, name).strip()
                if text:
                    lines += [f"#### {label}", "", text, ""]
    return "\n".join(lines).rstrip() + "\n"


def _pdf_text(text: str) -> str:
    """Text the PDF's built-in fonts can draw: Windows-1252 holds French typography (’ « » … œ)."""
    return text.encode("cp1252", errors="replace").decode("cp1252")


class _ToolkitPDF(FPDF):
    def __init__(self, title: str):
        super().__init__(format="A4")
        # The built-in Helvetica, with Windows-1252 for French typography: no font file to ship.
        self.core_fonts_encoding = "windows-1252"
        self.toolkit_title = _pdf_text(title)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(20, 20, 20)
        self.set_title(self.toolkit_title)
        self.set_lang("fr")

    def footer(self):
        if self.page_no() == 1:
            return
        self.set_y(-12)
        self.set_font("Helvetica", size=8)
        self.set_text_color(*MUTED)
        self.cell(0, 6, f"{self.toolkit_title} · {self.page_no()}", align="C")

    def paragraph(self, text: str, size: float = 10.5, style: str = "", color=INK, height: float = 5.4):
        self.set_font("Helvetica", style=style, size=size)
        self.set_text_color(*color)
        for block in text.split("\n"):
            if block.strip():
                self.multi_cell(0, height, _pdf_text(block.strip()), align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(1.5)


def _render_toc(pdf: _ToolkitPDF, outline) -> None:
    pdf.set_xy(pdf.l_margin, pdf.t_margin)
    pdf.set_font("Helvetica", style="B", size=18)
    pdf.set_text_color(*ACCENT)
    pdf.cell(0, 12, _pdf_text(_("Sommaire")), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    for section in outline:
        pdf.set_font("Helvetica", style="B" if section.level == 0 else "", size=11 if section.level == 0 else 10)
        pdf.set_text_color(*INK)
        indent = 0 if section.level == 0 else 6
        pdf.set_x(pdf.l_margin + indent)
        width = pdf.epw - indent - 12
        link = pdf.add_link(page=section.page_number)
        pdf.cell(width, 7, _pdf_text(section.name), link=link)
        pdf.cell(12, 7, str(section.page_number), align="R", new_x="LMARGIN", new_y="NEXT", link=link)


def toolkit_pdf(toolkit, sections) -> bytes:
    """A title page, a table of contents, then each section and each practice on its own pages."""
    pdf = _ToolkitPDF(toolkit.title)
    pdf.add_page()
    pdf.ln(70)
    pdf.paragraph(toolkit.title, size=28, style="B", color=ACCENT, height=12)
    if toolkit.description:
        pdf.paragraph(plain_text(toolkit.description), size=12, color=MUTED, height=6.5)
    pdf.ln(10)
    pdf.paragraph(_("Édité le %(date)s") % {"date": date_format(timezone.localdate(), "j F Y")}, size=10, color=MUTED)
    pdf.add_page()  # the table of contents fills this page, once every section's page is known
    pdf.insert_toc_placeholder(_render_toc, pages=1, allow_extra_pages=True)
    for number, (section, items) in enumerate(sections):
        if number:
            pdf.add_page()
        pdf.start_section(_pdf_text(section.title), level=0)
        pdf.paragraph(section.title, size=20, style="B", color=ACCENT, height=10)
        for index, item in enumerate(items):
            practice = item.practice
            if index:
                pdf.add_page()
            pdf.start_section(_pdf_text(practice.title), level=1)
            pdf.paragraph(practice.title, size=15, style="B", height=7.5)
            origin = f"{practice.get_kind_display()} — {practice.author.full_name}, {practice.organisation.name}"
            pdf.paragraph(origin, size=9.5, color=MUTED)
            if item.note:
                pdf.paragraph(f"« {item.note.strip()} »", size=10.5, style="I", color=ACCENT)
            for name, label in PRACTICE_PARTS:
                text = plain_text_blocks(getattr(practice, name))
                if text:
                    pdf.paragraph(str(label), size=11.5, style="B", color=ACCENT)
                    pdf.paragraph(text)
    return bytes(pdf.output())


def plain_text_blocks(markdown_text: str) -> str:
    """Markdown as plain paragraphs, one per line, list items kept as « – » lines."""
    blocks = []
    for line in (markdown_text or "").splitlines():
        stripped = line.strip()
        if stripped[:2] in ("- ", "* ", "+ "):
            blocks.append("– " + plain_text(stripped[2:]))
        elif stripped:
            blocks.append(plain_text(stripped))
    return "\n".join(blocks)
