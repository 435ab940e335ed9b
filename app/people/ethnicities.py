"""Vietnam's 54 ethnic groups with the statistics office's two-digit codes.

Source and codes: "Danh mục các dân tộc Việt Nam", Quyết định 1019/QĐ-TCTK of 12/11/2008 of the
General Statistics Office (Tổng cục Thống kê), as reproduced in the GSO's own copy of the list
(gso.gov.vn, Doc_Download DocID=15172) and in QCVN 109:2017/BTTTT Phụ lục E, which cites that
decision. In that list the groups are numbered in order of population (1999 census): 01 Kinh,
02 Tày, 03 Thái, 04 Mường, 05 Khơ-me, 06 Hoa, ..., 16 Xơ-đăng, 18 Hrê, ... 54 Ơ Đu; this agrees
with DESIGN.md ("16 Xơ Đăng, 18 Hrê"). Names are spelt as in the statistics office's
publications (hyphenated: "Gia-rai", "Xơ-đăng").

Doubts, for the reviewer:
- Codes 01-20 were checked against both copies above. Codes 21-54 come from copies of the same
  list in public code (several agree) and from the 1999 census order; the two copies seen here
  stop at 20, so 21-54 are not checked against the decision's own text.
- Many systems still use the OLDER numbering of the 1979 list (Quyết định 121-TCTK/PPCĐ,
  2/3/1979: 04 Hoa, 06 Mường, 11 Ngái, 14 Xơ-đăng, 19 Hrê, 54 Rơ-măm, plus 55 "Người nước
  ngoài" in some): e.g. the Ministry of Health's FHIR code system, many school and insurance
  systems, and the column order of the 2019 census tables. That numbering is kept as
  `code_1979` and reachable through `by_code_1979`; `lookup()` reads a bare number as a 2008
  code only. A file that says "19" for Hrê uses the 1979 numbering (19 is Ra-glai in 2008).
- Aliases are the "tên gọi khác" and local group names of the official list (without the
  pejorative exonyms: "Mọi ...", "Man Thạch Bích") plus common spellings; an alias shared by
  two groups (e.g. "Thổ", "Xá", "Trại", "Hẹ") does not identify either and `lookup` does not
  use it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.vietnamese import fold


@dataclass(frozen=True)
class Ethnicity:
    code: str  # "18": Quyết định 1019/QĐ-TCTK (2008)
    name: str  # official name, "Hrê"
    aliases: tuple[str, ...] = ()  # other names and spellings
    code_1979: str = ""  # the older numbering of Quyết định 121-TCTK/PPCĐ (1979)


def _e(code: str, code_1979: str, name: str, aliases: str = "") -> Ethnicity:
    names = tuple(a.strip() for a in aliases.split(";") if a.strip())
    return Ethnicity(code=code, name=name, aliases=names, code_1979=code_1979)


ETHNICITIES: list[Ethnicity] = [
    _e("01", "01", "Kinh", "Việt"),
    _e("02", "02", "Tày", "Thổ; Ngạn; Phén; Thù Lao; Pa Dí"),
    _e("03", "03", "Thái", "Tày Khao; Thái Trắng; Tày Đăm; Thái Đen; Tày Mười; Tày Thanh; "
                           "Mán Thanh; Hàng Tổng; Tày Mường; Pa Thay; Thổ Đà Bắc; Tày Dọ"),
    _e("04", "06", "Mường", "Mol; Mual; Mon; Moan; Ao Tá; Ậu Tá"),
    _e("05", "05", "Khơ-me", "Khmer; Khơ Me; Khmer Krôm; Khơ-me Krôm; Cur; Cul; Cu; "
                             "Việt gốc Miên; Miên; Thổ"),
    _e("06", "04", "Hoa", "Hán; Triều Châu; Phúc Kiến; Quảng Đông; Quảng Tây; Hải Nam; Hạ; "
                          "Xạ Phạng; Xìa Phống; Thảng Nhằm; Minh Hương; Hẹ; Sang Phang"),
    _e("07", "07", "Nùng", "Nùng Xuồng; Nùng Giang; Nùng An; Nùng Inh; Nùng Phàn Slinh; "
                           "Nùng Cháo; Nùng Lòi; Nùng Quy Rin; Quý Rim; Khèn Lài; Nồng; Nùng Dín"),
    _e("08", "08", "Mông", "Hmông; H'Mông; HMông; Mèo; Mẹo; Mèo Hoa; Mèo Xanh; Mèo Đỏ; "
                           "Mèo Đen; Ná Mẻo; Na Miẻo; Mán Trắng; Miếu Ha"),
    _e("09", "09", "Dao", "Mán; Động; Trại; Xá; Dìu Miền; Kiềm Miền; Miên; Miền; "
                          "Dao Quần Trắng; Dao Đỏ; Dao Quần Chẹt; Dao Lô Gang; Dao Tiền; "
                          "Dao Thanh Y; Dao Lan Tẻn; Đại Bản; Tiểu Bản; Cóc Ngáng; Cóc Mùn; "
                          "Sơn Đầu; Kìm Miền; Kìm Mùn"),
    _e("10", "10", "Gia-rai", "Jrai; Jarai; Giơ-rai; Tơ-buăn; Chơ-rai; Hđrung; Hơ-bau; Chor; "
                              "Aráp; Mthur"),
    _e("11", "12", "Ê-đê", "Rhađê; Ra-đê; Êgar; Đê; Kpa; A-đham; Krung; Ktul; Đliê Hruê; Blô; "
                           "Kah; Kdrao; Dong Kay; Dong Mak; Ening; Arul; Hwing; Ktlê; Epan; "
                           "Mđhur; Bih"),
    _e("12", "13", "Ba-na", "Bahnar; Gơ-lar; Tơ-lô; Giơ-lâng; Y-lăng; Rơ-ngao; Krem; Roh; "
                            "Kon Kđe; A-la Công; Kpăng Công; Bơ-nâm"),
    _e("13", "15", "Sán Chay", "Cao Lan; Sán Chỉ; Cao Lan-Sán Chỉ; Mán Cao Lan; Hờn Bạn; "
                               "Sơn Tử; Chùng; Trại"),
    _e("14", "17", "Chăm", "Chàm; Chiêm; Chiêm Thành; Chăm Pa; Hời; Chăm Hroi; Chăm Pông; "
                           "Chà Và Ku; Chăm Châu Đốc"),
    _e("15", "16", "Cơ-ho", "K'Ho; Kơ Ho; Xrê; Nốp; Tu Lốp; Cơ-don; Chil; Lát; Lạch; Tơ-ring"),
    _e("16", "14", "Xơ-đăng", "Xê Đăng; Sedang; Xơ-teng; Hđang; Tơ-đrá; Mơ-nâm; Hà Lăng; "
                              "Ca Dong; Kmrâng; Con Lan; Bri La; Tang; Tà Trĩ"),
    _e("17", "18", "Sán Dìu", "Sán Dẻo; Sán Déo Nhín; Sán Dao Nhín; Trại; Trại Đất; "
                              "Mán Quần Cộc; Mán Váy Xẻ"),
    _e("18", "19", "Hrê", "H're; H'rê; Chăm Rê; Chom; Chòm; Krẹ; Lũy; Thượng Ba Tơ; Sơn Phòng; "
                          "Đá Vách; Chăm Quảng Ngãi; Thạch Bích"),
    _e("19", "21", "Ra-glai", "Raglai; Ra-clây; Rai; La-oang; Noang; O-rang; Rô-glai"),
    _e("20", "20", "Mnông", "M'Nông; Pnông; Mnông Nông; Mnông Prê; Mnông Bu Đâng; Đi-pri; "
                            "Biat; Mnông Gar; Mnông Rơ Lam; Mnông Chil; Mnông Kuênh"),
    _e("21", "24", "Thổ", "Kẹo; Mọn; Cuối; Họ; Đan Lai; Ly Hà; Tày Pọng; Con Kha; Xá Lá Vàng"),
    _e("22", "22", "Xtiêng", "Stiêng; X'Tiêng; Xa-điêng; Xa-chiêng; Bù Lơ; Bù Đek; Bù Biêk"),
    _e("23", "29", "Khơ-mú", "Khmu; Khơ Mú; Xá Cẩu; Mứn Xen; Pu Thênh; Tềnh; Tày Hạy; "
                             "Việt Cang; Khá Klẩu"),
    _e("24", "23", "Bru-Vân Kiều", "Bru; Vân Kiều; Măng Coong; Tri; Khùa"),
    _e("25", "26", "Cơ-tu", "Ca-tu; Katu; Cao; Hạ; Phương; Ca-tang"),
    _e("26", "25", "Giáy", "Nhắng; Dẩng; Giảng; Pầu Thìn Nu Nà; Cùi Chu; Xa"),
    _e("27", "31", "Tà-ôi", "Ta-ôi; Tôi-ôi; Pa-co; Pa-hi; Ba-hi; Tà-uất"),
    _e("28", "28", "Mạ", "Châu Mạ; Mạ Ngăn; Mạ Xóp; Mạ Tô; Mạ Krung"),
    _e("29", "27", "Gié-Triêng", "Giẻ-Triêng; Đgiéh; Tareb; Giang Rẫy Pin; Triêng; Treng; "
                                 "Ta-riêng; Ve; Veh; La-ve; Ca-tang"),
    _e("30", "30", "Co", "Cor; Col; Cùa; Trầu"),
    _e("31", "32", "Chơ-ro", "Dơ-ro; Châu-ro; Chro"),
    _e("32", "34", "Xinh-mun", "Puộc; Pụa"),
    _e("33", "35", "Hà Nhì", "Hani; U Ni; Xá U Ni; Hà Nhì Già"),
    _e("34", "36", "Chu-ru", "Chơ-ru; Chu"),
    _e("35", "37", "Lào", "Lào Bốc; Lào Nọi"),
    _e("36", "38", "La Chí", "Cù Tê; La Quả"),
    _e("37", "33", "Kháng", "Xá Khao; Xá Súa; Xá Dón; Xá Dẩng; Xá Hốc; Xá Ái; Xá Bung; "
                            "Quảng Lâm"),
    _e("38", "40", "Phù Lá", "Bồ Khô Pạ; Mu Di Pạ Xá; Phó; Phổ; Va Xơ"),
    _e("39", "41", "La Hủ", "Pu Đang; Khù Xung; Cò Xung; Khả Quy"),
    _e("40", "39", "La Ha", "Xá Khao; Khlá Phlạo"),
    _e("41", "46", "Pà Thẻn", "Pà Hưng; Tống"),
    _e("42", "42", "Lự", "Lừ; Nhuồn; Duôn"),
    _e("43", "11", "Ngái", "Xín; Lê; Đản; Khách Gia; Hẹ; Sán Ngải"),
    _e("44", "44", "Chứt", "Rục; Sách; Mày; Mã Liềng; A-rem; Tu Vang; Pa-leng; Xơ-lang; "
                           "Tơ-hung; Chà-củi; Tắc-củi; U-mo; Xá Lá Vàng"),
    _e("45", "43", "Lô Lô", "Mun Di"),
    _e("46", "45", "Mảng", "Mảng Ư; Xá Lá Vàng"),
    _e("47", "47", "Cơ Lao", "Cờ Lao"),
    _e("48", "49", "Bố Y", "Chủng Chá; Trọng Gia; Tu Dí; Tu Din"),
    _e("49", "48", "Cống", "Xắm Khống; Mấng Nhé; Xá Xeng; Phuy A"),
    _e("50", "50", "Si La", "Cù Dề Xừ; Khả Pẻ"),
    _e("51", "51", "Pu Péo", "Ka Pèo; Pen Ti Lô Lô"),
    _e("52", "54", "Rơ-măm"),
    _e("53", "52", "Brâu", "Brao"),
    _e("54", "53", "Ơ Đu", "Tày Hạt"),
]

_BY_CODE = {e.code: e for e in ETHNICITIES}
_BY_CODE_1979 = {e.code_1979: e for e in ETHNICITIES}


def _key(text: str) -> str:
    """Folded and without spaces, hyphens, apostrophes or any other punctuation."""
    return "".join(ch for ch in fold(text) if ch.isalnum())


def _build_index() -> tuple[dict[str, Ethnicity], dict[str, Ethnicity]]:
    names = {_key(e.name): e for e in ETHNICITIES}
    seen: dict[str, set[str]] = {}
    for e in ETHNICITIES:
        for alias in e.aliases:
            seen.setdefault(_key(alias), set()).add(e.code)
    aliases = {key: _BY_CODE[next(iter(codes))] for key, codes in seen.items()
               if len(codes) == 1 and key not in names}
    return names, aliases


_NAMES, _ALIASES = _build_index()
_PREFIX = re.compile(r"^(dan toc|nguoi|dt)\s+")
_PARENTHESIS = re.compile(r"^(.*?)\s*\((.*)\)\s*$")


_CODE = re.compile(r"[0-9]{1,2}")  # ASCII digits only ("²" is a digit to isdigit())


def by_code(code: str | int | None) -> Ethnicity | None:
    """The group with this 2008 code ("18", "8" and 8 are the same); None if unknown."""
    if code is None:
        return None
    text = str(code).strip()
    if not _CODE.fullmatch(text):
        return None
    return _BY_CODE.get(f"{int(text):02d}")


def by_code_1979(code: str | int | None) -> Ethnicity | None:
    """The group with this code in the older 1979 numbering (19 = Hrê); None if unknown."""
    if code is None:
        return None
    text = str(code).strip()
    if not _CODE.fullmatch(text):
        return None
    return _BY_CODE_1979.get(f"{int(text):02d}")


def lookup(text: str | int | None) -> Ethnicity | None:
    """The group named, aliased or coded by `text`, or None.

    A bare number is a 2008 code ("18" or "18 " -> Hrê, "8" -> Mông). Names and aliases match
    ignoring case, diacritics, spaces, hyphens and apostrophes ("H're", "hre", "HRÊ" -> Hrê),
    with or without a leading "dân tộc" / "người"; "Kinh (Việt)" style also works. An alias that
    belongs to two groups matches neither.
    """
    if text is None:
        return None
    raw = str(text).strip()
    if not raw:
        return None
    if _CODE.fullmatch(raw):
        return by_code(raw)
    candidates = [raw]
    if m := _PARENTHESIS.match(raw):
        candidates += [m.group(1), m.group(2)]
    for candidate in candidates:
        folded = _PREFIX.sub("", fold(candidate))
        key = "".join(ch for ch in folded if ch.isalnum())
        found = _NAMES.get(key) or _ALIASES.get(key)
        if found:
            return found
    return None


def choices() -> list[tuple[str, str]]:
    """(code, name) pairs in code order, for a select box."""
    return [(e.code, e.name) for e in ETHNICITIES]
