//! The words of the error page: what went wrong, by status, and the ways on.

use cncl_domain::Lang;

use super::catalogue::ui_strings;

ui_strings! { FailureUi, VI, EN;
    bad_request: "Yêu cầu không hợp lệ"
        | "The request is not valid";
    forbidden: "Không có quyền truy cập"
        | "Not allowed";
    forbidden_detail: "Tài khoản này không được mở trang hoặc thực hiện việc này."
        | "This account may not open this page or do this.";
    not_found: "Không tìm thấy trang"
        | "Page not found";
    not_found_detail: "Không có trang hoặc bản ghi nào ở địa chỉ này, hoặc bản ghi nằm ngoài phạm vi của tài khoản."
        | "There is no page or record at this address, or the record is outside this account's reach.";
    method_not_allowed: "Không thực hiện được thao tác này ở địa chỉ này."
        | "This action cannot be done at this address.";
    conflict: "Không thực hiện được"
        | "Could not be done";
    invalid: "Dữ liệu không hợp lệ"
        | "The data is not valid";
    too_large: "Tệp hoặc biểu mẫu quá lớn."
        | "The file or form is too large.";
    throttled: "Quá nhiều lần thử"
        | "Too many attempts";
    internal: "Đã có lỗi trong hệ thống"
        | "Something went wrong on our side";
    internal_detail: "Lỗi đã được ghi lại. Khi báo lỗi, hãy gửi kèm mã yêu cầu:"
        | "The fault has been logged. When reporting it, quote the request id:";
    go_home: "Về trang chủ"
        | "Go to the home page";
    go_back: "Quay lại trang trước"
        | "Back to the previous page";
    sign_in_other: "Đăng nhập bằng tài khoản khác"
        | "Sign in with another account";
    sign_in_again: "Phiên làm việc đã hết hạn. Hãy đăng nhập lại; nội dung đã nhập sẽ được điền lại vào biểu mẫu."
        | "Your session has expired. Sign in again; what you typed will be filled back into the form.";
    status_code: "Mã lỗi"
        | "Status";
}

pub fn failure_ui(lang: Lang) -> &'static FailureUi {
    match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    }
}
