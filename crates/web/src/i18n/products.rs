//! The words of a product's page: who is in charge, its tasks, its core technologies, its
//! models and one model's bill of materials from price to domestic value added.

use cncl_domain::Lang;

use super::catalogue::ui_strings;

ui_strings! { ProductsUi, VI, EN;
    name: "Tên"
        | "Name";
    figures_heading: "Kết quả theo tiêu chí"
        | "Figures by criterion";
    history: "Diễn biến theo quý"
        | "Quarterly history";
    projection: "Dự báo"
        | "Projection";
    in_charge_heading: "Người phụ trách"
        | "In charge";
    nobody_in_charge: "Chưa bổ nhiệm Tổng công trình sư, Kiến trúc sư trưởng."
        | "No chief engineer or chief architect appointed.";
    tasks_heading: "Nhiệm vụ theo tình trạng"
        | "Tasks by status";
    no_tasks: "Chưa có nhiệm vụ."
        | "No tasks yet.";
    technologies_heading: "Cây công nghệ lõi"
        | "Core-technology tree";
    weight: "Trọng số"
        | "Weight";
    latest_assessment: "Đánh giá gần nhất"
        | "Latest assessment";
    timeline: "Quá trình làm chủ"
        | "Mastery over time";
    not_assessed: "Chưa đánh giá"
        | "Not assessed";
    models_heading: "Mẫu sản phẩm"
        | "Product models";
    maker: "Doanh nghiệp sản xuất"
        | "Maker";
    price: "Giá bán"
        | "Selling price";
    launched: "Ra thị trường"
        | "Launched";
    show_bill: "Xem định mức"
        | "Show its bill";
    bill_heading: "Định mức nguyên vật liệu"
        | "Bill of materials";
    component: "Linh kiện, cụm"
        | "Component or assembly";
    origin: "Nguồn gốc"
        | "Origin";
    quantity: "Số lượng"
        | "Quantity";
    unit_cost: "Đơn giá"
        | "Unit cost";
    cost: "Thành tiền"
        | "Cost";
    imported: "Giá trị nhập khẩu"
        | "Imported content";
    domestic: "Giá trị trong nước"
        | "Domestic value";
    bill_note: "Giá trị của mỗi dòng tính cho một đơn vị của cụm chứa nó (của sản phẩm, với dòng cấp cao nhất)."
        | "Each line's amounts are per unit of the assembly it belongs to (of the model, for a top-level line).";
    waterfall_heading: "Từ giá bán đến giá trị gia tăng trong nước"
        | "From selling price to domestic value added";
    value_added: "Giá trị gia tăng trong nước"
        | "Domestic value added";
    other_branches: "Các nhánh khác"
        | "Other branches";
    no_bill: "Mẫu sản phẩm này chưa có định mức nguyên vật liệu."
        | "This model has no bill of materials yet.";
    no_models: "Chưa có mẫu sản phẩm."
        | "No product models yet.";
    sign_in_for_records: "Đăng nhập để xem nhiệm vụ, công nghệ lõi và mẫu sản phẩm."
        | "Sign in to see the tasks, core technologies and product models.";
    roadmap_link: "Lộ trình nội địa hóa"
        | "Localisation roadmap";
}

pub fn products_ui(lang: Lang) -> &'static ProductsUi {
    match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    }
}
