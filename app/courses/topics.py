"""The controlled list of training topics, from the district plan (Dự án 7, Tiểu dự án 1, IV.1.a).

Courses carry one or more topics; a class has the topic of its course. "Trained before" in the
seat allocation means: already admitted to a finished class of the same topic.
"""

TOPICS: dict[str, str] = {
    "chuong-trinh": "Thực hiện Chương trình MTQG giảm nghèo bền vững",
    "viec-lam": "Việc làm",
    "giao-duc-nghe-nghiep": "Giáo dục nghề nghiệp",
    "lao-dong-nuoc-ngoai": "Đi làm việc ở nước ngoài theo hợp đồng",
    "y-te": "Y tế",
    "giao-duc": "Giáo dục",
    "nha-o": "Nhà ở",
    "nuoc-ve-sinh": "Nước sạch và vệ sinh",
    "thong-tin": "Thông tin",
    "tro-giup-phap-ly": "Trợ giúp pháp lý",
    "cong-tac-xa-hoi": "Công tác xã hội",
    "binh-dang-gioi": "Bình đẳng giới",
    "giam-sat-danh-gia": "Giám sát, đánh giá",
    "ra-soat-ho-ngheo": "Rà soát hộ nghèo, hộ cận nghèo",
}


def topic_label(slug: str) -> str:
    return TOPICS.get(slug, slug)


def choices() -> list[tuple[str, str]]:
    return list(TOPICS.items())
