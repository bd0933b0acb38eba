from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rounds.content_io.errors import ContentFileInvalid
from rounds.content_io.importer import ProgressAtRisk, guide_import_bytes
from rounds.content_io.loader import MAX_FILE_BYTES, too_big


class Command(BaseCommand):
    help = (
        "Create or update a guide from a YAML content file. The file is the whole truth for its "
        "guide; a bad file changes nothing and every problem is listed with its line."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Path to the guide's YAML file.")
        parser.add_argument(
            "--allow-removing-progress",
            action="store_true",
            help="Apply the file even though it removes study tasks candidates ticked or "
            "questions they took notes on (without it, such a file changes nothing).",
        )

    def handle(self, *args, file: str, allow_removing_progress: bool, **options) -> None:
        path = Path(file)
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise CommandError(f"{file}: nothing imported; {too_big(size)}")
            with path.open("rb") as stream:
                # Read no more than the limit, even if the file grows meanwhile.
                raw = stream.read(MAX_FILE_BYTES + 1)
        except FileNotFoundError:
            raise CommandError(f"{file}: no such file") from None
        except IsADirectoryError:
            raise CommandError(f"{file}: is a directory, not a guide file") from None
        except OSError as exc:
            raise CommandError(f"{file}: cannot be read ({exc.strerror})") from None
        try:
            result = guide_import_bytes(raw=raw, allow_removing_progress=allow_removing_progress)
        except ContentFileInvalid as exc:
            problems = "\n".join(f"  {line}" for line in exc.lines())
            raise CommandError(
                f"{file}: nothing imported; {exc.count} problem{'s' if exc.count != 1 else ''} "
                f"to fix:\n{problems}"
            ) from None
        except ProgressAtRisk as exc:
            items = "\n".join(f"  {line}" for line in exc.result.loss_items())
            raise CommandError(
                f"{file}: nothing imported; this file {exc.result.loss_sentence()}:\n"
                f"{items}\n"
                "Items are matched on their key: check that no key was changed or dropped by "
                "mistake. To remove them anyway, run again with --allow-removing-progress."
            ) from None
        self.stdout.write(self.style.SUCCESS(result.summary()))
