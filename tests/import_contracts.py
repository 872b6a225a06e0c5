"""An import-linter contract type for CareerGini: a domain is entered through its public modules.

``lint-imports`` (run by ``make lint``) loads it from the repository root. Every import from one
domain into another must name one of the domain's public modules (``service``, ``schemas``,
``errors`` by default); the composition root (``careergini.app``, ``careergini.models``) may
also import routers and table models.
"""

from __future__ import annotations

import grimp
from importlinter import Contract, ContractCheck, fields, output


class PublicModulesContract(Contract):
    """Imports between domains go through each domain's public modules only."""

    type_name = "public_modules"

    domains = fields.ListField(subfield=fields.StringField())
    public = fields.ListField(subfield=fields.StringField())
    # "careergini.gateway.auth:dependencies": a domain's extra public module.
    extra_public = fields.ListField(subfield=fields.StringField(), required=False)
    exempt_importers = fields.ListField(subfield=fields.StringField(), required=False)

    def _domain_of(self, module: str) -> str | None:
        for domain in sorted(self.domains, key=len, reverse=True):  # type: ignore[arg-type]
            if module == domain or module.startswith(domain + "."):
                return domain
        return None

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        public = set(self.public)  # type: ignore[arg-type]
        extra: dict[str, set[str]] = {}
        for item in self.extra_public or []:  # type: ignore[union-attr]
            domain, _, name = str(item).partition(":")
            extra.setdefault(domain, set()).add(name)
        exempt = set(self.exempt_importers or [])  # type: ignore[arg-type]
        broken = []
        for importer in sorted(graph.modules):
            source = self._domain_of(importer)
            if importer in exempt:
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                target = self._domain_of(imported)
                if target is None or target == source or imported == target:
                    continue
                first = imported[len(target) + 1 :].split(".")[0]
                if first in public or first in extra.get(target, set()):
                    continue
                details = graph.get_import_details(importer=importer, imported=imported)
                lines = ", ".join(str(d["line_number"]) for d in details)
                broken.append(f"{importer} -> {imported} (l. {lines})")
        return ContractCheck(kept=not broken, metadata={"broken": broken})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for line in check.metadata["broken"]:
            output.print_error(f"- {line}")
        output.new_line()
        output.print(
            "Import the other domain's service, schemas or errors module instead; re-export "
            "what it should offer there."
        )
