from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rounds.content_io.errors import ContentFileInvalid
from rounds.content_io.importer import guide_import_bytes


class Command(BaseCommand):
    help = (
        "Create or update a guide from a YAML content file. The file is the whole truth for its "
        "guide; a bad file changes nothing and every problem is listed with its line."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path to the guide's YAML file.")

    def handle(self, *args, file: str, **options) -> None:
        path = Path(file)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise CommandError(f"{file}: no such file") from None
        except IsADirectoryError:
            raise CommandError(f"{file}: is a directory, not a guide file") from None
        except OSError as exc:
            raise CommandError(f"{file}: cannot be read ({exc.strerror})") from None
        try:
            result = guide_import_bytes(raw=raw)
        except ContentFileInvalid as exc:
            problems = "\n".join(f"  {error}" for error in exc.errors)
            count = len(exc.errors)
            raise CommandError(
                f"{file}: nothing imported; {count} problem{'s' if count != 1 else ''} to fix:\n"
                f"{problems}"
            ) from None
        self.stdout.write(self.style.SUCCESS(result.summary()))
