"""Reading the inputs in Datasets/sources: the statistical extracts (CSV, one dict per
row, every value a string) and the transcription of the two seed documents (JSON).

The extracts' names are here, once; each extract's provenance, the original it was
extracted from and how are in Datasets/sources/README.md (Datasets/tools/extract_sources.py
made them)."""
import csv, json, os

SEED_DOCUMENTS = "seed-documents.json"

# Kazakhstan, by region (key kato2, see regions.py)
KZ_POPULATION = "kz-population-by-region-2000-2023.csv"
KZ_INCOME = "kz-income-per-capita-by-region-2000-2020.csv"
KZ_BIRTHS = "kz-births-by-region-2000-2023.csv"
KZ_UNEMPLOYMENT = "kz-unemployment-rate-by-region-2022.csv"
KZ_CENTRES = "kz-region-centres-2022.csv"
KZ_INTERNAL_MIGRATION = "kz-internal-migration-by-region-2022-2024.csv"
KZ_NATIONAL_NET_MIGRATION = "kz-net-migration-national-2000-2024.csv"
KZ_REGIONAL_NET_MIGRATION = "kz-net-migration-by-region-2023-2024.csv"
KZ_MIGRATION_FACTS = "kz-migration-facts-1989-2019.csv"
KZ_REFUGEES = "kz-refugees-and-returnees-1991-2003.csv"
# Other countries' origin–destination flows
KR_FLOWS = "kr-migration-between-regions-2012-2020.csv"
KR_INCOME = "kr-income-per-capita-by-region-2012-2020.csv"
NL_FLOWS = "nl-corop-migration-2012-2020.csv"
NL_REGIONS = "nl-corop-regions-2012-2020.csv"
NL_DISTANCES = "nl-corop-distances.csv"
IT_FLOWS = "it-migration-between-areas-by-age-1970-2000.csv"


class Sources:
    def __init__(self, directory):
        self.directory = directory

    def table(self, name):
        """The rows of the CSV extract `name` as dicts of strings."""
        with open(os.path.join(self.directory, name), newline="", encoding="utf-8") as f:
            return list(csv.DictReader(f))

    def seed_documents(self):
        """The seed documents' citations and transcribed statements."""
        with open(os.path.join(self.directory, SEED_DOCUMENTS), encoding="utf-8") as f:
            return json.load(f)
