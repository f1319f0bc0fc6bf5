"""safetykb: the Large-Model Safety Knowledge Base.

The package owns all logic; data flows one way:
YAML records -> validated records -> graph -> pages / answers / exports.
"""

__version__ = "0.1.0"
