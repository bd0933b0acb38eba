"""What a person searching the seed guide expects to find, whichever engine answers.

Each entry: the query, question texts that must be found (the first one ranked first), texts
that must not be, and round titles that must be found.
"""

SYSTEM_DESIGN_ROUND = "Technical Leadership and System Design"
REGULATORY = "What are the key regulatory considerations for engineering teams operating in Asia?"
COMPLIANCE = (
    "How do you ensure compliance and security standards are met across different jurisdictions?"
)
AT_SCALE = "Describe your experience with agile methodologies at scale."
TRADING = "Design a high-throughput, low-latency trading system for a cryptocurrency exchange."
MILLIONS = (
    "How would you architect a system to handle millions of concurrent users and transactions?"
)
MONOLITH = (
    "What are the key considerations when migrating a monolithic application to microservices?"
)
ALIGNED = "How do you ensure that engineering initiatives are aligned with the company's overall"
PARTNER = "How do you ensure that engineering is a strategic partner to the business, not just a"
CONFLICT = "How do you handle conflict within a team?"

EXPECTED = {
    # Every question of kind System design, though two never say "design" (issue 14).
    "system design": ([TRADING, MILLIONS, MONOLITH], [CONFLICT], [SYSTEM_DESIGN_ROUND]),
    # Stemmed: "scaling" finds "at scale"; the tag "scalability" finds the architecture ones.
    "scaling": ([AT_SCALE, TRADING, MILLIONS], [CONFLICT], [SYSTEM_DESIGN_ROUND]),
    "scale": ([AT_SCALE, TRADING, MILLIONS], [CONFLICT], [SYSTEM_DESIGN_ROUND]),
    # No guide says "stakeholder": Prep's related words find working with the business.
    "stakeholder": ([ALIGNED, PARTNER], [CONFLICT, AT_SCALE], []),
    "stakholder": ([ALIGNED, PARTNER], [CONFLICT, AT_SCALE], []),
    # The question that says it first, then the compliance one.
    "regulatory": ([REGULATORY, COMPLIANCE], [CONFLICT], []),
}
