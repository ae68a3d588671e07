//! The words that say how far a page's figures reach in the audit log.

use cncl_domain::Lang;

use super::catalogue::ui_strings;

ui_strings! { PositionUi, VI, EN;
    reflects: "Số liệu gồm mọi thay đổi đến mục"
        | "The figures include every change up to entry";
    of_the_log: "của nhật ký kiểm toán"
        | "of the audit log";
    updating: "đang tính lại với các thay đổi mới hơn; tải lại trang sau ít giây để xem"
        | "being computed again with the newer changes; reload the page in a few seconds to see them";
}

pub fn position_ui(lang: Lang) -> &'static PositionUi {
    match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    }
}
