"""Registry errors.

RegistryError
 ├── UnknownDataset      no such dataset or field in the catalog
 ├── NotShared           the dataset is not shared (不予共享)
 └── ConditionalSharing  the dataset needs an answered sharing request first
"""

from __future__ import annotations


class RegistryError(Exception):
    code = "registry_error"

    def __init__(self, message_zh: str, message_en: str) -> None:
        self.message_zh = message_zh
        self.message_en = message_en
        super().__init__(f"{message_zh} / {message_en}")


class UnknownDataset(RegistryError):
    code = "unknown_dataset"


class NotShared(RegistryError):
    code = "not_shared"


class ConditionalSharing(RegistryError):
    code = "sharing_request_required"
