"""Why a file cannot be read, as data: one Chinese reason and one piece of advice each.

`unreadable(path, key, **values)` builds the UnreadableWorkbook the reader raises.
"""

from __future__ import annotations

from workbook_tools.errors import UnreadableWorkbook
from workbook_tools.io.cells import cell_ref

_RESAVE = "请用 Excel 或 WPS 打开后“另存为” .xlsx 格式，再提交新保存的文件"

PROBLEMS: dict[str, tuple[str, str]] = {
    "missing": ("找不到这个文件", "请检查文件名和路径是否正确"),
    "directory": ("这是一个文件夹，不是工作簿文件", "请指定文件夹中的某个 .xlsx 文件"),
    "no_access": ("没有读取这个文件的权限", "请检查文件权限，或先把文件复制到本地文件夹后再试"),
    "empty": ("文件是空的（0 字节），可能上传、复制或保存时中断了",
              "请从原始位置重新复制，或在 Excel 中重新保存后再提交"),
    "lock_file": ("这是 Office 打开文件时自动生成的临时锁定文件（通常文件名以 ~$ 开头），不是工作簿",
                  "请忽略或删除这个临时文件，提交同名的正式文件；若正式文件还在 Excel 中打开，请先关闭它"),
    "encrypted": ("文件已加密（设置了打开密码），无法读取内容",
                  "如果知道密码，请用 --password-file 密码文件（文件中只写密码）或 --password-env 环境变量名 "
                  "提供密码后再运行；区域提交的文件请在 Excel 中取消密码（文件→信息→保护工作簿→用密码进行加密，"
                  "清空密码）后另存再提交"),
    "drm": ("文件受权限管理或文档加密软件保护（IRM/DRM），无法读取内容",
            "请先在公司的文档加密系统中解密（或申请外发解密），另存为普通 .xlsx 后再提交"),
    "not_workbook": ("文件不是 Excel 工作簿（{what}）", _RESAVE),
    "xlsb": ("这是 Excel 二进制工作簿（.xlsb），本工具不读取此格式",
             "请在 Excel 中“另存为”普通的 Excel 工作簿（.xlsx）后再提交"),
    "corrupt": ("文件已损坏，无法解析（{what}）",
                "请用 Excel 或 WPS 打开并“另存为” .xlsx；如果打不开，请向发件人或从备份重新获取"),
    "xml_entity": ("文件中含有危险的 XML 实体/文档类型声明（{part}），可能是恶意构造的“XML 炸弹”，已拒绝读取",
                   "请不要打开此文件；如确认来源可信，请用 Excel 打开后另存为新的 .xlsx 再提交"),
    "zip_bomb": ("文件解压后的体积异常（{what}），可能是恶意构造的压缩炸弹，已拒绝读取",
                 "请不要打开此文件；如确认来源可信，请用 Excel 打开后另存为新的 .xlsx 再提交"),
    "too_large": ("文件过大（{size}，上限 {limit}）", "请把数据拆分成几个较小的文件后再分别提交"),
    "extent": ("工作表“{sheet}”的实际使用范围过大（{ref}，约 {cells} 个单元格），"
               "可能在很远的行或列误填了内容",
               "请在 Excel 中删除数据区域以外多余的行和列（选中后右键→删除），保存后再提交"),
    "memory": ("读取时内存不足，文件过大", "请把数据拆分成几个较小的文件后再分别提交"),
    "reader_crash": ("解析这个文件时读取程序异常终止（需要的内存超过上限 {limit}，或文件内部结构异常），已跳过",
                     "请用 Excel 或 WPS 打开后“另存为”新的 .xlsx，删除数据区域以外多余的行和列再提交；"
                     "如果数据确实很多，请拆分成几个较小的文件"),
    "text_bomb": ("文件中的文字内容展开后过多（约 {chars} 个字符，上限 {limit}），"
                  "可能是恶意构造的文件（同一段很长的文字被大量单元格引用）",
                  "请不要打开此文件；如确认来源可信，请删除多余的长文本后另存为新的 .xlsx 再提交"),
    "repeat_bomb": ("工作表“{sheet}”中同一行被重复了 {count} 次（第 {row} 行起），展开后数据量异常，"
                    "可能是恶意构造的文件",
                    "请用 LibreOffice 或 Excel 打开，删除多余的重复行后另存为 .xlsx 再提交"),
    "csv_wide": ("CSV 文件第 {row} 行有 {cols} 列，超过 Excel 的上限 {limit} 列",
                 "请检查分隔符是否正确（例如整段文字中的逗号），在 Excel 中打开后另存为 .xlsx 再提交"),
    "encoding": ("无法识别 CSV 文件的文字编码", "请在 Excel 中打开后另存为 .xlsx，或另存为“CSV UTF-8”格式再提交"),
    "csv_broken": ("CSV 文件格式错误（{what}）", "请在 Excel 中打开后另存为 .xlsx 再提交"),
}


def unreadable(path, key: str, **values) -> UnreadableWorkbook:
    """The error for problem ``key``, its reason filled with ``values``."""
    reason, advice = PROBLEMS[key]
    return UnreadableWorkbook(path, reason.format(**values), advice.format(**values))


def extent_error(path, sheet: str, rows: int, cols: int) -> UnreadableWorkbook:
    """The error for a sheet whose used rectangle is rows × cols cells."""
    return unreadable(path, "extent", sheet=sheet, ref=f"A1:{cell_ref(rows, cols - 1)}",
                      cells=f"{rows * cols:,}")


def human_size(n: int) -> str:
    """1536 → '1.5 KB' (for messages)."""
    size = float(n)
    for unit in ("字节", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{int(size)} {unit}" if unit == "字节" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"
