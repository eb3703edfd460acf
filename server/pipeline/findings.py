"""What a check finds: findings (severity, focus node, path, message, where it is written) and the report."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from rdflib import Graph


@dataclass(frozen=True)
class Finding:
    severity: str  # Violation | Warning | Info
    focus: str  # the node the finding is about
    path: str | None
    message: str
    shape: str | None
    value: str | None
    file: str | None  # where the focus node is written, when known
    line: int | None

    def as_text(self) -> str:
        where = f"{self.file}:{self.line}" if self.file else "(no file)"
        path = f" {self.path}" if self.path else ""
        value = f" (value: {self.value})" if self.value and self.value != self.focus else ""
        return f"{where}: {self.severity}: <{self.focus}>{path}: {self.message}{value}"


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    report_graph: Graph | None = None

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "Violation"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity != "Violation"]

    @property
    def conforms(self) -> bool:
        return not self.violations

    @property
    def text(self) -> str:
        if not self.findings:
            return "No problems found."
        lines = [f.as_text() for f in self.findings]
        lines.append(f"{len(self.violations)} violation(s), {len(self.warnings)} warning(s).")
        return "\n".join(lines)

    def as_json(self) -> str:
        return json.dumps(
            {"conforms": self.conforms, "findings": [asdict(f) for f in self.findings]}, ensure_ascii=False, indent=2
        )
