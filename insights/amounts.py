"""An amount of money on the statistics pages: exact öre, shown the Swedish way."""

from dataclasses import dataclass

from compensation.money import file_amount, format_kr


@dataclass(frozen=True, order=True)
class Kronor:
    """Shown as "1 800 kr" on the page and in the PDF, "1800,00" in the CSV, and drawn as a bar."""

    ore: int

    def __str__(self) -> str:
        return format_kr(self.ore)

    def __float__(self) -> float:
        return self.ore / 100

    @property
    def csv(self) -> str:
        return file_amount(self.ore)
