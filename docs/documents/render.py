"""Render every document from the demo data to PDF and to a PNG of its first page.

    .venv/bin/python docs/documents/render.py            # a throwaway database
    .venv/bin/python docs/documents/render.py --db x.db  # reuse (or fill) this SQLite file
    .venv/bin/python docs/documents/render.py pop        # only the documents named

Writes ``<name>.pdf`` and ``<name>.png`` next to this script and prints their paths and the
render time of each. A person looks at the PNGs; the tests check the PDFs' text. To add a
document, add a line to ``documents()``: its name, its template and a function that builds
its context from the demo data.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
DPI = 110


@dataclass(frozen=True)
class Document:
    name: str
    template: str
    context: Callable[[], dict[str, Any]]


def documents() -> list[Document]:
    """The documents and the demo records they show (rich ones: several versions, a chart)."""
    from doorstroom.clients import documents as client_documents
    from doorstroom.clients.models import Client
    from doorstroom.employers import documents as employer_documents
    from doorstroom.employers.models import Agreement, Placement
    from doorstroom.evaluations import documents as evaluation_documents
    from doorstroom.evaluations.models import Evaluation
    from doorstroom.evaluations.selectors import evaluation_detail
    from doorstroom.plans import documents as plan_documents
    from doorstroom.plans.models import PlanVersion
    from doorstroom.reports import documents as report_documents
    from doorstroom.reports.models import EndReport

    def client(first: str, last: str) -> Client:
        return Client.objects.get(first_name=first, last_name=last)

    def pop() -> dict[str, Any]:
        # Fatima Bouzid: three POP versions, two evaluations with three sources each
        versions = plan_documents.version_for_document(PlanVersion.objects.all())
        mine = versions.filter(trajectory__client=client("Fatima", "Bouzid"))
        return plan_documents.pop_context(mine.order_by("-number")[0])

    def evaluation() -> dict[str, Any]:
        done = Evaluation.objects.filter(
            trajectory__client=client("Fatima", "Bouzid"), status="completed"
        )
        latest = evaluation_detail(done.order_by("-held_on")[0])
        return evaluation_documents.evaluation_context(latest)

    def cooperation() -> dict[str, Any]:
        agreement = Agreement.objects.select_related("employer__organisation").get(
            kind="cooperation", employer__name="Groendienst Gemeente Olen"
        )
        return employer_documents.cooperation_context(agreement)

    def placement() -> dict[str, Any]:
        # Glenn Aerts: art. 60 at a third-party user, so with the tripartite agreement
        placements = employer_documents.placement_for_document(Placement.objects.all())
        running = placements.filter(trajectory__client=client("Glenn", "Aerts"), end__isnull=True)
        return employer_documents.placement_context(running.get())

    def overview() -> dict[str, Any]:
        return client_documents.overview_context(client("Fatima", "Bouzid"))

    def end_report() -> dict[str, Any]:
        # The demo's first final end report (an ended trajectory with outflow and ICF profile)
        report = (
            EndReport.objects.filter(status="final")
            .select_related("trajectory__client", "trajectory__organisation", "finalised_by")
            .order_by("pk")
            .first()
        )
        if report is None:
            raise LookupError("the demo has no final end report")
        return report_documents.end_report_context(report)

    return [
        Document("pop", plan_documents.TEMPLATE, pop),
        Document("evaluation", evaluation_documents.TEMPLATE, evaluation),
        Document("cooperation_agreement", employer_documents.COOPERATION_TEMPLATE, cooperation),
        Document("placement_agreement", employer_documents.PLACEMENT_TEMPLATE, placement),
        Document("data_overview", client_documents.TEMPLATE, overview),
        Document("end_report", "documents/end_report.html", end_report),
    ]


def setup_django(db: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from doorstroom.accounts.models import User

    if not User.objects.exists():
        call_command("load_demo", verbosity=0)


def first_page_png(pdf: bytes, path: Path) -> None:
    import pypdfium2 as pdfium
    from PIL import Image

    document = pdfium.PdfDocument(pdf)
    try:
        image = document[0].render(scale=DPI / 72).to_pil()
    finally:
        document.close()
    # A palette of 64 colours keeps the PNG small enough to commit (~40 KB) and the text sharp;
    # the octree method keeps the chart's thin coloured lines (median cut greys them out).
    palette = image.convert("RGB").quantize(colors=64, method=Image.Quantize.FASTOCTREE)
    palette.save(path, optimize=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="only these documents")
    parser.add_argument("--db", type=Path, help="an SQLite file to reuse instead of a temp one")
    parser.add_argument("--out", type=Path, default=HERE, help="where the PDFs and PNGs go")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        setup_django((args.db or Path(tmp) / "demo.db").resolve())
        print(f"database ready in {time.perf_counter() - started:.1f} s")
        from doorstroom.core.pdf import pdf_bytes

        for document in documents():
            if args.names and document.name not in args.names:
                continue
            started = time.perf_counter()
            pdf = pdf_bytes(document.template, document.context())
            seconds = time.perf_counter() - started
            pdf_path = args.out / f"{document.name}.pdf"
            png_path = args.out / f"{document.name}.png"
            pdf_path.write_bytes(pdf)
            first_page_png(pdf, png_path)
            print(f"{pdf_path.relative_to(ROOT)}  {png_path.relative_to(ROOT)}  {seconds:.2f} s")


if __name__ == "__main__":
    main()
