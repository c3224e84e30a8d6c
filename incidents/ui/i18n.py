"""The interface's own labels in English and Arabic (report text is never translated, only escaped)."""

from __future__ import annotations

LANGUAGES = {"en": "English", "ar": "العربية"}

_LABELS: dict[str, tuple[str, str]] = {
    # pages
    "app_title": ("Deir ez-Zor casualty map", "خريطة الضحايا في دير الزور"),
    "overview": ("Overview", "نظرة عامة"),
    "map": ("Map", "الخريطة"),
    "timeline": ("Timeline", "الخط الزمني"),
    "incidents": ("Incidents", "الحوادث"),
    "place": ("Place profile", "صفحة المكان"),
    # review pages (issue #4; their own labels are in incidents/ui/duplicates_view.py)
    "add_report": ("Add report", "إضافة تقرير"),
    "duplicates": ("Possible duplicates", "حوادث مكررة محتملة"),
    "import_page": ("Import", "استيراد"),  # issue #13; the page's own labels are in incidents/ui/import_view.py
    # sidebar
    "filters": ("Filters", "التصفية"),
    "language": ("Interface language", "لغة الواجهة"),
    "figure": ("Totals use", "الأرقام المعتمدة"),
    "figure_help": ("Which killed figure the totals, map and charts use; the other two stay visible as a band.",
                    "أي رقم للقتلى تعتمده المجاميع والخريطة والرسوم؛ يبقى الرقمان الآخران ظاهرين كنطاق."),
    "fig_min": ("minimum", "الحد الأدنى"),
    "fig_max": ("maximum", "الحد الأقصى"),
    "fig_best": ("best estimate", "التقدير الأفضل"),
    "actors": ("Actors", "الأطراف"),
    "date_from": ("From", "من"),
    "date_to": ("To", "إلى"),
    "event_types": ("Event type", "نوع الحدث"),
    "districts": ("District", "المنطقة"),
    "subdistricts": ("Sub-district", "الناحية"),
    "places": ("Place", "المكان"),
    "gradings": ("Grading", "التقييم"),
    "gradings_help": ("Airwars-style grading of the claims. Discounted incidents are left out by default.",
                      "تقييم الادعاءات. الحوادث المستبعدة غير مشمولة افتراضياً."),
    "civilian_only": ("Civilian harm only", "الضحايا المدنيون فقط"),
    "min_killed": ("Minimum killed", "أدنى عدد للقتلى"),
    "source_kinds": ("Source kind", "نوع المصدر"),
    "languages": ("Source language", "لغة المصدر"),
    "text": ("Search text", "بحث نصي"),
    "text_help": ("Matches descriptions, quotes and place names in Arabic or English, across spelling variants.",
                  "يبحث في الأوصاف والاقتباسات وأسماء الأماكن بالعربية أو الإنجليزية مع اختلاف التهجئة."),
    "statuses": ("Record status", "حالة السجل"),
    "reset": ("Reset filters", "إعادة ضبط التصفية"),
    "choose": ("All", "الكل"),
    "share": ("Share this view: copy the address bar — it holds every filter.",
              "لمشاركة هذا العرض انسخ عنوان الصفحة: يتضمن كل خيارات التصفية."),
    # figures
    "m_incidents": ("Incidents", "الحوادث"),
    "m_killed": ("Killed", "القتلى"),
    "m_civilians": ("Civilians killed", "مدنيون قتلى"),
    "m_children": ("Children", "أطفال"),
    "m_women": ("Women", "نساء"),
    "m_places": ("Places", "أماكن"),
    "m_span": ("Date span", "الفترة"),
    "band": ("minimum–maximum {lo}–{hi}; best estimate {best}", "الحد الأدنى–الأقصى {lo}–{hi}؛ التقدير الأفضل {best}"),
    "open_max": ("{n:,} incident(s) have no stated maximum: the maximum is a floor.",
                 "{n:,} حادثة بلا حد أقصى مذكور: الحد الأقصى هنا أدنى تقدير."),
    "unmapped": ("{n:,} incident(s) have no known location: counted, listed, not drawn.",
                 "{n:,} حادثة بلا موقع معروف: محسوبة ومدرجة وغير مرسومة."),
    "latest": ("Latest incidents", "أحدث الحوادث"),
    "sources": ("Data sources and attribution", "مصادر البيانات والإسناد"),
    "src_name": ("Source", "المصدر"),
    "geo_attribution": ("Geographic data: attribution and licences", "البيانات الجغرافية: الإسناد والتراخيص"),
    "no_incidents": ("No incidents match this filter.", "لا توجد حوادث مطابقة لهذه التصفية."),
    # map
    "layers": ("Layers", "الطبقات"),
    "layer_places": ("Places", "الأماكن"),
    "layer_heat": ("Heat map", "خريطة حرارية"),
    "layer_choropleth": ("Sub-district choropleth", "تظليل النواحي"),
    "legend": ("Colour: main actor (most killed). Circle area: killed. Dashed outline: incidents located only "
               "to a sub-district or district.",
               "اللون: الطرف الرئيسي (الأكثر قتلى). مساحة الدائرة: عدد القتلى. الحد المتقطع: حوادث معروفة على "
               "مستوى الناحية أو المنطقة فقط."),
    "largest": ("Largest circle: {n} killed.", "أكبر دائرة: {n} قتيلاً."),
    "popup_cap": ("Popups list the latest {n} incident(s) of each place; the place profile lists all.",
                  "تعرض النوافذ أحدث {n} حادثة لكل مكان؛ صفحة المكان تعرضها كلها."),
    "popup_top": ("At this size, popups list the latest {n} incidents of the {places:,} places with most killed; "
                  "click any place for its incidents below the map.",
                  "بهذا الحجم تعرض النوافذ أحدث {n} حوادث لأكثر {places:,} مكاناً قتلى؛ انقر أي مكان لعرض حوادثه "
                  "تحت الخريطة."),
    "no_popup_lists": ("Popups show totals only at this size; the place profile lists the incidents.",
                       "تعرض النوافذ المجاميع فقط بهذا الحجم؛ صفحة المكان تعرض الحوادث."),
    "dropped": ("{n:,} smaller place(s) are not drawn as circles at this size (they are in the heat map, "
                "choropleth and table).", "{n:,} مكان أصغر غير مرسوم كدوائر بهذا الحجم (موجودة في الخريطة "
                "الحرارية والتظليل والجدول)."),
    "clicked": ("Selected on the map", "المحدد على الخريطة"),
    "open_profile": ("Open the place profile", "افتح صفحة المكان"),
    "click_hint": ("Click a place on the map to list its incidents here.",
                   "انقر على مكان في الخريطة لعرض حوادثه هنا."),
    "approx_note": ("Sub-district outlines are approximate (derived), not official boundaries.",
                    "حدود النواحي تقريبية (مشتقة) وليست حدوداً رسمية."),
    # timeline
    "per": ("Per", "لكل"),
    "per_day": ("day", "يوم"),
    "per_week": ("week", "أسبوع"),
    "per_month": ("month", "شهر"),
    "measure": ("Show", "اعرض"),
    "measure_killed": ("killed", "القتلى"),
    "measure_incidents": ("incidents", "الحوادث"),
    "drag_hint": ("Drag across the chart to set the date filter to that range.",
                  "اسحب على الرسم لتحديد الفترة الزمنية."),
    "spans": ("Incidents known only to a date range", "حوادث معروفة بفترة زمنية فقط"),
    "delays": ("Delay between incident and first report", "المدة بين الحادثة وأول تقرير"),
    "no_report_dates": ("None of these incidents' sources carries a publication date.",
                        "لا يحمل أي من مصادر هذه الحوادث تاريخ نشر."),
    "selection_list": ("Incidents in this view", "الحوادث في هذا العرض"),
    "clear_dates": ("Clear the date range", "إلغاء الفترة الزمنية"),
    # incidents table and detail
    "table_cap": ("Showing the newest {shown:,} of {total:,} incidents; narrow the filter or export to see all.",
                  "يعرض أحدث {shown:,} من {total:,} حادثة؛ ضيّق التصفية أو صدّر البيانات لرؤيتها كلها."),
    "select_hint": ("Select a row to open the incident.", "اختر صفاً لفتح الحادثة."),
    "export": ("Export what is shown", "تصدير المعروض"),
    "prepare_export": ("Prepare {fmt} file", "تجهيز ملف {fmt}"),
    "download": ("Download {fmt}", "تنزيل {fmt}"),
    "detail": ("Incident", "الحادثة"),
    "claims": ("Claims side by side", "الادعاءات جنباً إلى جنب"),
    "disagree": ("Highlighted rows: the sources disagree.", "الصفوف المظللة: المصادر مختلفة."),
    "f_date": ("Date", "التاريخ"),
    "f_actor": ("Attributed to", "الطرف المسؤول"),
    "f_type": ("Event type", "نوع الحدث"),
    "f_killed": ("Killed (minimum–maximum)", "القتلى (الحد الأدنى–الأقصى)"),
    "f_civilians": ("Civilian status", "صفة الضحايا"),
    "f_grading": ("Grading", "التقييم"),
    "f_status": ("Record status", "حالة السجل"),
    "f_location": ("Location", "الموقع"),
    "description": ("Description", "الوصف"),
    "quote": ("Quote", "الاقتباس"),
    "close": ("Close", "إغلاق"),
    "not_found": ("No incident with this id is visible to you.", "لا توجد حادثة بهذا المعرّف متاحة لك."),
    # place
    "choose_place": ("Choose a place", "اختر مكاناً"),
    "admin_path": ("Administrative path", "التبعية الإدارية"),
    "coordinates": ("Coordinates", "الإحداثيات"),
    "precision": ("Kind and precision", "النوع والدقة"),
    "nearby": ("Nearby places", "أماكن قريبة"),
    "its_incidents": ("Its incidents", "حوادثه"),
    "unknown_place": ("This place is not in the gazetteer.", "هذا المكان غير موجود في المعجم الجغرافي."),
}


def t(key: str, lang: str = "en", **values: object) -> str:
    """Return the label ``key`` in ``lang`` ("en" or "ar"), formatted with ``values``."""
    english, arabic = _LABELS[key]
    text = arabic if lang == "ar" else english
    return text.format(**values) if values else text
