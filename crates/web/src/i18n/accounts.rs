//! The words of the account pages: the office adds, disables and resets accounts and issues
//! and revokes API tokens.

use cncl_domain::Lang;

use super::catalogue::ui_strings;

ui_strings! { AccountsUi, VI, EN;
    accounts_heading: "Tài khoản người dùng"
        | "User accounts";
    username: "Tên đăng nhập"
        | "Username";
    display_name: "Họ và tên"
        | "Full name";
    role: "Vai trò"
        | "Role";
    organisation: "Tổ chức"
        | "Organisation";
    organisation_hint: "Mã số thuế hoặc tên tổ chức (bắt buộc với đơn vị báo cáo)"
        | "Tax code or name of the organisation (required for a reporting organisation)";
    products: "Sản phẩm phụ trách"
        | "Products in charge";
    state: "Trạng thái"
        | "State";
    active: "Đang hoạt động"
        | "Active";
    disabled: "Đã vô hiệu hóa"
        | "Disabled";
    last_used: "Lần dùng gần nhất"
        | "Last used";
    totp: "Xác thực hai lớp"
        | "Second factor";
    totp_on: "Đã bật"
        | "On";
    totp_off: "Chưa bật"
        | "Off";
    add_heading: "Thêm tài khoản"
        | "Add an account";
    add: "Thêm tài khoản"
        | "Add the account";
    choose: "— chọn —"
        | "— choose —";
    disable: "Vô hiệu hóa…"
        | "Disable…";
    disable_confirm: "Tài khoản sẽ không đăng nhập được và mọi phiên làm việc của nó kết thúc."
        | "The account will not be able to sign in, and all its sessions end.";
    confirm_disable: "Xác nhận vô hiệu hóa"
        | "Confirm: disable";
    enable: "Kích hoạt lại"
        | "Enable again";
    reset: "Đặt lại mật khẩu…"
        | "Reset the password…";
    reset_confirm: "Mật khẩu hiện tại hết hiệu lực; một mật khẩu dùng một lần sẽ được tạo."
        | "The current password stops working; a one-time password is made.";
    confirm_reset: "Xác nhận đặt lại"
        | "Confirm: reset";
    one_time_password: "Mật khẩu dùng một lần (chỉ hiện lần này; người dùng phải đổi khi đăng nhập):"
        | "One-time password (shown only now; its holder must change it on signing in):";
    tokens_heading: "Mã truy cập API"
        | "API tokens";
    token_name: "Tên mã (hệ thống sử dụng)"
        | "Name (the system using it)";
    expires: "Hết hạn"
        | "Expires";
    created_by: "Người tạo"
        | "Created by";
    revoked: "Đã thu hồi"
        | "Revoked";
    revoke: "Thu hồi…"
        | "Revoke…";
    revoke_confirm: "Hệ thống dùng mã này sẽ không truy cập được nữa."
        | "The system using this token will no longer get in.";
    confirm_revoke: "Xác nhận thu hồi"
        | "Confirm: revoke";
    add_token: "Tạo mã truy cập"
        | "Create the token";
    token_secret: "Mã truy cập (chỉ hiện lần này, hãy lưu lại ngay):"
        | "The token (shown only now; store it at once):";
    no_tokens: "Chưa có mã truy cập nào."
        | "No tokens yet.";
}

pub fn accounts_ui(lang: Lang) -> &'static AccountsUi {
    match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    }
}
