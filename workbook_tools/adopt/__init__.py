"""Adopt: bring the registers a company already has into the standard archive (迁移旧台账)."""
