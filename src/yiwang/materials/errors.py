"""Upload errors.

MaterialError
 ├── FileTooLarge          (413)
 ├── EmptyFile             (422)
 ├── UnsupportedFileType   (415)  content is not PDF, PNG or JPEG (the name is not trusted)
 ├── QuotaExceeded         (413)  the case or the uploader has used up its upload quota
 └── MaterialNotFound      (404)
"""

from __future__ import annotations

from yiwang.errors import BilingualError


class MaterialError(BilingualError):
    code = "material_error"
    message_zh = "材料上传出错"
    message_en = "upload error"


class FileTooLarge(MaterialError):
    code = "file_too_large"

    def __init__(self, limit_bytes: int) -> None:
        mb = limit_bytes // (1024 * 1024)
        super().__init__(
            f"文件过大，单个文件不超过 {mb} MB", f"the file is too large; at most {mb} MB"
        )


class EmptyFile(MaterialError):
    code = "empty_file"
    message_zh = "文件为空"
    message_en = "the file is empty"


class UnsupportedFileType(MaterialError):
    code = "unsupported_file_type"
    message_zh = "仅支持 PDF、PNG、JPEG 格式的文件"
    message_en = "only PDF, PNG and JPEG files are accepted"


class QuotaExceeded(MaterialError):
    code = "upload_quota_exceeded"

    def __init__(self, scope_zh: str, scope_en: str, limit_bytes: int) -> None:
        mb = limit_bytes // (1024 * 1024)
        super().__init__(
            f"{scope_zh}的上传总量已达上限 {mb} MB，请删除或合并材料后再试，或联系窗口",
            f"the upload quota of {scope_en} ({mb} MB) is used up; combine files or contact the service window",
        )


class MaterialNotFound(MaterialError):
    code = "material_not_found"
    message_zh = "材料不存在"
    message_en = "material not found"
