"""Report exports: one neutral document (title, period, sections of tables, bar charts and
paragraphs) rendered as XLSX (openpyxl) and as a printable PDF (WeasyPrint, with a CJK font
from Debian). No SQL: a service builds the document from the domain's report and hands it here.

document          the neutral structure
report_documents  documents of the reports of issue 14 (meeting, visiting days, assessment,
                  top issues, diary summary), in Chinese or English
svg               bar charts as SVG (the PDF and the web page)
xlsx / pdf        the two renderers
"""
