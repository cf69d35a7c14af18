"""Confidentiality: the 权限分配表 (schema roles), masks, role views and the 发放 ledger.

Pure and below every writer: imports only schema, errors and resources.
"""
