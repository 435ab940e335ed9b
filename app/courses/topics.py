"""The controlled list of training topics, from the district plan (Dự án 7, Tiểu dự án 1, IV.1.a).

Courses carry one or more topics; a class has the topic of its course. "Trained before" in the
seat allocation means: already admitted to a finished class of the same topic.
"""

from app.i18n_markers import N_

TOPICS: dict[str, str] = {
    "chuong-trinh": N_("Thực hiện Chương trình MTQG giảm nghèo bền vững"),
    "viec-lam": N_("Việc làm"),
    "giao-duc-nghe-nghiep": N_("Giáo dục nghề nghiệp"),
    "lao-dong-nuoc-ngoai": N_("Đi làm việc ở nước ngoài theo hợp đồng"),
    "y-te": N_("Y tế"),
    "giao-duc": N_("Giáo dục"),
    "nha-o": N_("Nhà ở"),
    "nuoc-ve-sinh": N_("Nước sạch và vệ sinh"),
    "thong-tin": N_("Thông tin"),
    "tro-giup-phap-ly": N_("Trợ giúp pháp lý"),
    "cong-tac-xa-hoi": N_("Công tác xã hội"),
    "binh-dang-gioi": N_("Bình đẳng giới"),
    "giam-sat-danh-gia": N_("Giám sát, đánh giá"),
    "ra-soat-ho-ngheo": N_("Rà soát hộ nghèo, hộ cận nghèo"),
}


def topic_label(slug: str) -> str:
    return TOPICS.get(slug, slug)


def choices() -> list[tuple[str, str]]:
    return list(TOPICS.items())
