from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rounds.content_io.exporter import guide_export
from rounds.models import Guide


class Command(BaseCommand):
    help = "Write a guide as YAML, in the format import_guide reads (to stdout, or to -o FILE)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="The guide's slug, e.g. okx-head-of-engineering.")
        parser.add_argument("-o", "--output", help="File to write instead of standard output.")

    def handle(self, *args, slug: str, output: str | None, **options) -> None:
        guide = Guide.objects.filter(slug=slug).first()
        if guide is None:
            known = ", ".join(Guide.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f'No guide has the slug "{slug}" (guides: {known}).')
        text = guide_export(guide=guide)
        if output is None:
            self.stdout.write(text, ending="")
            return
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"{output}: cannot be written ({exc.strerror})") from None
        self.stderr.write(self.style.SUCCESS(f"Wrote {guide.slug} to {output}."))
