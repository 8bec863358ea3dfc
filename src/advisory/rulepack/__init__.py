"""The rule pack: YAML files validated into typed objects at load time."""

from .load import RulePack, default_rules_dir, load_pack

__all__ = ["RulePack", "default_rules_dir", "load_pack"]
