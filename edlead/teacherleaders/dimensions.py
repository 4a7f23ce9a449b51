"""The dimensions of distributed leadership a school team rates itself on, each with a descriptor for
levels 1–4 (after the state's interactive planning guide for distributed leadership)."""

from __future__ import annotations

from dataclasses import dataclass

LEVELS = {1: "Beginning", 2: "Developing", 3: "Established", 4: "Sustaining"}


@dataclass(frozen=True)
class Dimension:
    key: str
    name: str
    question: str
    descriptors: tuple[str, str, str, str]  # levels 1..4


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension(
        "vision",
        "Shared vision",
        "Do staff share and act on a vision of teaching and learning?",
        (
            "The vision is written by the principal; few staff can describe it.",
            "Staff know the vision; some teams connect their work to it.",
            "Staff helped shape the vision and teams use it to set priorities.",
            "The vision guides every team's decisions and is revisited with staff each year.",
        ),
    ),
    Dimension(
        "roles",
        "Leadership roles and structures",
        "Are there clear roles and teams through which teachers lead?",
        (
            "Leadership rests with administrators; teacher roles are informal.",
            "Some teacher-leader roles exist but their responsibilities are unclear.",
            "Roles have written responsibilities, selection criteria and time to do the work.",
            "Roles and teams form a coherent structure that is reviewed and renewed.",
        ),
    ),
    Dimension(
        "decisions",
        "Collaborative decision making",
        "Do those affected by a decision have a voice in making it?",
        (
            "Decisions are made by administrators and announced.",
            "Staff are consulted on some decisions, often after the fact.",
            "Teams make decisions within agreed boundaries and record them.",
            "Decision rights are clear, decisions are logged and their results reviewed together.",
        ),
    ),
    Dimension(
        "capacity",
        "Capacity building",
        "Are teacher leaders prepared and supported for their roles?",
        (
            "No learning is offered for leadership roles.",
            "Occasional workshops; little follow-up.",
            "Teacher leaders have ongoing learning and coaching tied to their role.",
            "A pipeline develops new leaders; experienced leaders coach others.",
        ),
    ),
    Dimension(
        "data",
        "Accountability and data use",
        "Do teams use evidence to monitor their work and hold themselves accountable?",
        (
            "Data are reviewed by administrators only.",
            "Teams look at data occasionally; actions rarely follow.",
            "Teams review data on a cycle and adjust their plans.",
            "Teams set measurable goals, report progress publicly and act on the results.",
        ),
    ),
    Dimension(
        "trust",
        "Culture of trust",
        "Do staff feel safe to take risks, disagree and learn from mistakes?",
        (
            "Staff are reluctant to share problems of practice.",
            "Trust exists within some teams but not across the school.",
            "Staff share practice openly and disagree productively.",
            "Risk taking is encouraged and celebrated; conflict is resolved constructively.",
        ),
    ),
)
BY_KEY = {d.key: d for d in DIMENSIONS}
CHOICES = [(d.key, d.name) for d in DIMENSIONS]
