"""Before You Post: a school's class WhatsApp group policy as versioned data.

The package turns `policy_data/` (YAML edited by staff) into a typed policy
model (`policybook.model`), and from it the handbook, the "what changed"
pages and the self-check rule pack.
"""

__version__ = "0.1.0"
