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
    "legend_colour": ("Colour: main actor (most killed) —", "اللون: الطرف الرئيسي (الأكثر قتلى) —"),
    "legend_size": ("Circle area: killed, at the opening view (circles grow as you zoom in) —",
                    "مساحة الدائرة: عدد القتلى في العرض الأول (تكبر الدوائر عند التقريب) —"),
    "legend_dashed": ("Dashed outline: incidents located only to a sub-district or district (tinted in the actor's "
                      "colour) or only to the governorate (grey outline, not tinted), drawn as that whole area (not "
                      "a place within it).",
                      "حدّ متقطع: حوادث معروف موقعها على مستوى الناحية أو المنطقة فقط (ملوّنة بلون الطرف) أو على "
                      "مستوى المحافظة فقط (حدّ رمادي بلا تلوين)، مرسومة كامل تلك المنطقة (وليست مكاناً داخلها)."),
    "legend_choropleth": ("Sub-districts, killed —", "النواحي، عدد القتلى —"),
    "legend_none": ("no incidents", "لا حوادث"),
    "legend_heat": ("Heat map: brighter where more people were killed (places with coordinates; weighted by the "
                    "square root of killed).",
                    "الخريطة الحرارية: أسطع حيث قُتل عدد أكبر (الأماكن ذات الإحداثيات؛ موزونة بالجذر التربيعي "
                    "لعدد القتلى)."),
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
    # admin page
    "admin": ("Admin", "الإدارة"),
    "adm_only": ("This page is for admins: accounts, the audit log, deleted records and backups.",
                 "هذه الصفحة للمشرفين: الحسابات وسجل التدقيق والسجلات المحذوفة والنسخ الاحتياطية."),
    "adm_tab_accounts": ("Accounts", "الحسابات"),
    "adm_tab_log": ("Audit log", "سجل التدقيق"),
    "adm_tab_deleted": ("Deleted incidents", "الحوادث المحذوفة"),
    "adm_tab_four_eyes": ("Four eyes", "مبدأ العينين الأربع"),
    "adm_tab_backup": ("Backup", "النسخ الاحتياطي"),
    "adm_add": ("Add an account", "إضافة حساب"),
    "role_viewer": ("viewer", "مُطّلع"),
    "role_editor": ("editor", "محرّر"),
    "role_reviewer": ("reviewer", "مراجِع"),
    "role_admin": ("admin", "مشرف"),
    "adm_name": ("Name", "الاسم"),
    "adm_role": ("Role", "الدور"),
    "adm_password": ("Password (at least {n} characters; empty: sign-in through the identity provider only)",
                     "كلمة المرور (على الأقل {n} أحرف؛ فارغة: الدخول عبر مزوّد الهوية فقط)"),
    "adm_email": ("E-mail (matches identity-provider sign-ins)", "البريد الإلكتروني (يطابق الدخول عبر مزوّد الهوية)"),
    "adm_unpublished": ("Viewer who also sees unpublished records", "مُطّلع يرى السجلات غير المنشورة أيضاً"),
    "adm_add_button": ("Add account", "أضف الحساب"),
    "adm_added": ("Added {name} ({role}).", "أُضيف {name} ({role})."),
    "adm_change_title": ("Change an account", "تعديل حساب"),
    "adm_account": ("Account", "الحساب"),
    "adm_none": ("No accounts yet", "لا حسابات بعد"),
    "adm_change": ("Change", "التعديل"),
    "adm_do_set_role": ("set role", "تعيين الدور"),
    "adm_do_disable": ("disable", "تعطيل"),
    "adm_do_enable": ("enable", "تفعيل"),
    "adm_do_set_password": ("set password", "تعيين كلمة المرور"),
    "adm_do_grant_unpublished": ("grant unpublished", "السماح برؤية غير المنشور"),
    "adm_do_withdraw_unpublished": ("withdraw unpublished", "سحب رؤية غير المنشور"),
    "adm_new_role": ("New role (for set role)", "الدور الجديد (لتعيين الدور)"),
    "adm_new_password": ("New password (for set password)", "كلمة المرور الجديدة (لتعيين كلمة المرور)"),
    "adm_reason_logged": ("Reason (kept in the audit log)", "السبب (يُحفظ في سجل التدقيق)"),
    "adm_apply": ("Apply", "طبّق"),
    "adm_changed": ("{who}: {change} done.", "{who}: تم {change}."),
    "adm_kind": ("Record kind", "نوع السجل"),
    "adm_user": ("User", "المستخدم"),
    "adm_record_id": ("Record id", "معرّف السجل"),
    "adm_since": ("Since", "منذ"),
    "adm_log_note": ("{n:,} most recent entries (at most 1000 shown; the export has them all). The log is "
                     "append-only: the database refuses to change or delete entries.",
                     "أحدث {n:,} قيد (يُعرض 1000 على الأكثر؛ التصدير يتضمنها كلها). السجل للإضافة فقط: ترفض قاعدة "
                     "البيانات تعديل القيود أو حذفها."),
    "adm_export_csv": ("Export (CSV)", "تصدير (CSV)"),
    "adm_export_jsonl": ("Export (JSON lines)", "تصدير (JSON lines)"),
    "adm_no_deleted": ("No deleted incidents.", "لا حوادث محذوفة."),
    "adm_reason": ("Reason", "السبب"),
    "adm_restore": ("Restore", "استعادة"),
    "adm_restored": ("Restored {uid}.", "استُعيدت {uid}."),
    "adm_four_eyes_rule": ("**Four eyes**: a reviewer may not review or publish an incident they entered.",
                           "**مبدأ العينين الأربع**: لا يجوز للمراجع مراجعة حادثة أدخلها بنفسه أو نشرها."),
    "adm_four_eyes_state": ("Configuration (INCIDENTS_FOUR_EYES): {env}. In the database: {db}. The rule applies "
                            "when either is on, in every process and command.",
                            "الإعداد (INCIDENTS_FOUR_EYES): {env}. في قاعدة البيانات: {db}. تُطبّق القاعدة إذا كان "
                            "أيهما مفعّلاً، في كل عملية وأمر."),
    "adm_on": ("on", "مفعّل"),
    "adm_off": ("off", "معطّل"),
    "adm_require": ("Require four eyes in this database", "اشترط مبدأ العينين الأربع في قاعدة البيانات هذه"),
    "adm_save": ("Save", "احفظ"),
    "adm_saved": ("Saved.", "حُفظ."),
    "adm_backup_note": ("A backup holds everything, password hashes included: keep it as safe as the database. "
                        "Restore it into an empty database with `python -m incidents restore FILE`.",
                        "تحتوي النسخة الاحتياطية على كل شيء بما فيه تجزئات كلمات المرور: احفظها بأمان قاعدة البيانات "
                        "نفسه. استعدها في قاعدة بيانات فارغة بالأمر `python -m incidents restore FILE`."),
    "adm_backup_prepare": ("Prepare a backup", "جهّز نسخة احتياطية"),
    "adm_backup_download": ("Download the backup", "نزّل النسخة الاحتياطية"),
    "adm_col_disabled": ("Disabled", "معطّل"),
    "adm_col_unpublished": ("Sees unpublished", "يرى غير المنشور"),
    "adm_col_password": ("Has a password", "له كلمة مرور"),
    "adm_col_email": ("E-mail", "البريد الإلكتروني"),
    "adm_col_locked": ("Locked until", "مقفل حتى"),
    "adm_col_created": ("Created", "أُنشئ"),
    "adm_col_when": ("When (UTC)", "الوقت (UTC)"),
    "adm_col_who": ("Who", "من"),
    "adm_col_action": ("Action", "الإجراء"),
    "adm_col_record": ("Record", "السجل"),
    "adm_col_changes": ("Changes", "التغييرات"),
    "adm_col_deleted": ("Deleted (UTC)", "حُذف (UTC)"),
    "adm_col_by": ("By", "بواسطة"),
    # waits, the sidebar's account box, the export's format
    "proposing": ("Reading the report and proposing incidents (the first time also loads the gazetteer, up to a "
                  "minute)…", "قراءة التقرير واقتراح الحوادث (في المرة الأولى يُحمَّل المعجم الجغرافي أيضاً، حتى "
                  "دقيقة)…"),
    "local_mode": ("Local single-user mode: no sign-in, full rights (INCIDENTS_AUTH=local).",
                   "وضع محلي لمستخدم واحد: بلا تسجيل دخول وبكامل الصلاحيات (INCIDENTS_AUTH=local)."),
    "format": ("Format", "الصيغة"),
    "upload_button": ("Upload", "رفع ملف"),
    "upload_drop": ("Drag and drop a file here", "اسحب ملفاً وأفلته هنا"),
    # incidents table and detail
    "col_date": ("Date", "التاريخ"),
    "col_place": ("Place", "المكان"),
    "col_actor": ("Actor", "الطرف"),
    "col_type": ("Type", "النوع"),
    "col_killed": ("Killed (min–max)", "القتلى (أدنى–أقصى)"),
    "col_killed_min": ("Killed (min)", "القتلى (أدنى)"),
    "col_injured": ("Injured", "الجرحى"),
    "col_grading": ("Grading", "التقييم"),
    "col_sources": ("Sources", "المصادر"),
    "col_description": ("Description", "الوصف"),
    "col_uid": ("Id", "المعرّف"),
    "undated": ("undated", "بلا تاريخ"),
    "table_cap": ("Showing the newest {shown:,} of {total:,} incidents; narrow the filter or export to see all.",
                  "يعرض أحدث {shown:,} من {total:,} حادثة؛ ضيّق التصفية أو صدّر البيانات لرؤيتها كلها."),
    "select_hint": ("Select a row to open the incident.", "اختر صفاً لفتح الحادثة."),
    "export": ("Export what is shown", "تصدير المعروض"),
    "prepare_export": ("Prepare {fmt} file", "تجهيز ملف {fmt}"),
    "download": ("Download {fmt}", "تنزيل {fmt}"),
    "export_building": ("Building the {fmt} file of {n} incident(s)…", "جارٍ تجهيز ملف {fmt} لـ {n} حادثة…"),
    "download_about": ("Download its description (CSV on the Web metadata)",
                       "تنزيل وصف الملف (بيانات وصفية بصيغة CSVW)"),
    "detail": ("Incident", "الحادثة"),
    "claims": ("Claims side by side", "الادعاءات جنباً إلى جنب"),
    "disagree": ("Highlighted rows: the sources disagree.", "الصفوف المظللة: المصادر مختلفة."),
    "f_date": ("Date", "التاريخ"),
    "f_actor": ("Attributed to", "الطرف المسؤول"),
    "f_type": ("Event type", "نوع الحدث"),
    "f_killed": ("Killed (minimum–maximum)", "القتلى (الحد الأدنى–الأقصى)"),
    "f_injured": ("Injured (minimum–maximum)", "الجرحى (الحد الأدنى–الأقصى)"),
    "not_stated": ("not stated", "غير مذكور"),
    "open_cell": ("{n}+ (no maximum)", "{n} فأكثر (بلا حد أقصى)"),
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


# -- the other views' labels, kept here so that one catalogue holds every label of the interface --------

#: claim field → (English, Arabic) label, in the order the claims table shows them
CLAIM_FIELDS: dict[str, tuple[str, str]] = {
    "source_kind": ("Source kind", "نوع المصدر"), "language": ("Language", "اللغة"),
    "published": ("Published", "تاريخ النشر"), "attribution": ("Attributed to", "منسوب إلى"),
    "actor": ("Actor", "الطرف"), "actor_certainty": ("Actor certainty", "درجة التأكد من الطرف"),
    "event_type": ("Event type", "نوع الحدث"), "date_start": ("Date (start)", "التاريخ (بداية)"),
    "date_end": ("Date (end)", "التاريخ (نهاية)"), "killed_min": ("Killed (min)", "القتلى (أدنى)"),
    "killed_max": ("Killed (max)", "القتلى (أقصى)"), "injured_min": ("Injured (min)", "الجرحى (أدنى)"),
    "injured_max": ("Injured (max)", "الجرحى (أقصى)"), "civilians": ("Civilians", "مدنيون"),
    "children_killed": ("Children killed", "أطفال قتلى"), "women_killed": ("Women killed", "نساء قتلى"),
    "note": ("Note", "ملاحظة"),
}


#: the gazetteer editors' forms (incidents/ui/places_edit.py)
PLACES_EDIT: dict[str, tuple[str, str]] = {
    "alias": ("Add another spelling of this place", "إضافة تهجئة أخرى لهذا المكان"),
    "alias_field": ("Spelling (Arabic or Latin script)", "التهجئة (بالعربية أو اللاتينية)"),
    "alias_done": ("Spelling added: the geocoder and search now find this place under it too.",
                   "أضيفت التهجئة: يجد المُرمِّز الجغرافي والبحث هذا المكان بها أيضاً."),
    "place": ("Add a place the gazetteer lacks", "إضافة مكان غير موجود في المعجم الجغرافي"),
    "place_note": ("Only with a public source for its coordinates (a geolocation, a map, a report): it is "
                   "recorded with the place and in the history.",
                   "فقط مع مصدر علني للإحداثيات (تحديد موقع، خريطة، تقرير): يُسجَّل مع المكان وفي السجل."),
    "name_ar": ("Arabic name", "الاسم بالعربية"), "name_en": ("English name", "الاسم بالإنكليزية"),
    "lat": ("Latitude", "خط العرض"), "lon": ("Longitude", "خط الطول"), "kind": ("Kind", "النوع"),
    "origin": ("Source of the coordinates (required)", "مصدر الإحداثيات (إلزامي)"),
    "alt": ("Other spellings (; between)", "تهجئات أخرى (يفصل بينها ;)"),
    "place_done": ("Place added as {id}.", "أضيف المكان بالمعرّف {id}."),
    "save": ("Save", "حفظ"),
    "no_origin": ("Name the public source of the coordinates.", "اذكر المصدر العلني للإحداثيات."),
}


#: the review, edit and history forms of an incident (incidents/ui/edit_view.py)
EDIT: dict[str, tuple[str, str]] = {
    "work": ("Work on this incident", "العمل على هذه الحادثة"),
    "review": ("Review", "المراجعة"), "edit": ("Edit", "تحرير"), "claim": ("Add a claim", "إضافة ادعاء"),
    "history": ("History", "السجل"), "delete": ("Delete", "حذف"),
    "status": ("Status", "الحالة"), "grading": ("Grading", "التقييم"),
    "reason": ("Reason (recorded in the history)", "السبب (يُسجَّل في السجل)"),
    "save": ("Save", "حفظ"), "saved": ("Saved: version {v}.", "حُفظ: الإصدار {v}."),
    "unchanged": ("Nothing changed.", "لم يتغير شيء."),
    "description": ("Description", "الوصف"), "certainty": CLAIM_FIELDS["actor_certainty"],
    "target": ("Target", "الهدف"),
    # the field labels the detail view's claim table uses too, from one place
    **{name: CLAIM_FIELDS[name] for name in ("actor", "event_type", "civilians", "date_start", "date_end",
                                           "killed_min", "killed_max", "injured_min", "injured_max",
                                           "children_killed", "women_killed", "source_kind", "published")},
    "date_precision": ("Date precision", "دقة التاريخ"), "tags": ("Tags (; between)", "وسوم (يفصل بينها ;)"),
    "by_hand": ("Set the figures by hand (instead of deriving them from the claims)",
                "تحديد الأرقام يدوياً (بدلاً من اشتقاقها من الادعاءات)"),
    "killed_best": ("Killed (best estimate)", "القتلى (أفضل تقدير)"), "source_name": ("Source", "المصدر"),
    "url": ("URL", "الرابط"), "language": ("Language (ar, en, …)", "اللغة (ar، en، …)"), "quote": ("Quoted sentence", "الجملة المقتبسة"),
    "attribution": ("Attributed to (inside the source)", "منسوب إلى (داخل المصدر)"),
    "delete_note": ("Deleting hides the incident everywhere; an admin can restore it from the Admin page.",
                    "الحذف يخفي الحادثة في كل مكان؛ يمكن للمسؤول استعادتها من صفحة الإدارة."),
    "reload": ("Reload the record (your unsaved changes are shown above)",
               "إعادة تحميل السجل (تغييراتك غير المحفوظة معروضة أعلاه)"),
    "viewer": ("Your role can read and export; it cannot change records.",
               "دورك يسمح بالقراءة والتصدير فقط، لا بتعديل السجلات."),
}


#: the review pages: Add report and Possible duplicates (incidents/ui/duplicates_view.py, review.py)
REVIEW: dict[str, tuple[str, str]] = {
    # Add report
    "add_title": ("Add a report", "إضافة تقرير"),
    "add_viewer": ("Adding reports needs the editor role; ask an admin for an editor account.",
                   "إضافة التقارير تتطلب صلاحية محرر؛ اطلب من المشرف حساب محرر."),
    "add_intro": ("Paste a news report (Arabic or English) or upload it; the values proposed for each incident are "
                  "highlighted where they were read. Check, correct, then accept or drop each one. Saved incidents "
                  "are drafts until a reviewer reviews them.",
                  "الصق تقريراً إخبارياً (عربياً أو إنجليزياً) أو ارفعه؛ تظهر القيم المقترحة لكل حادثة مظللة حيث "
                  "قُرئت. تحقق وصحّح ثم اقبل كل حادثة أو استبعدها. تُحفظ الحوادث كمسودات حتى يراجعها مراجع."),
    "report_text": ("Report text", "نص التقرير"),
    "upload": ("…or upload a .txt or .html file (it replaces the pasted text)",
               "…أو ارفع ملف txt أو html (يحل محل النص الملصق)"),
    "source": ("Source (publisher)", "المصدر (الناشر)"),
    "url": ("Address of the report (URL)", "رابط التقرير"),
    "published": ("Publication date", "تاريخ النشر"),
    "published_help": ("Relative dates in the text (yesterday, on Friday) are resolved against it.",
                       "تُحسب التواريخ النسبية في النص (أمس، يوم الجمعة) انطلاقاً منه."),
    "kind": ("Source kind", "نوع المصدر"),
    "kind_guess": ("from the outlet list (source name or address)", "من قائمة المنافذ (اسم المصدر أو الرابط)"),
    "proposed_source": ("Source kind proposed: {kind} (outlet: {outlet}; who says it: {said})",
                        "نوع المصدر المقترح: {kind} (المنفذ: {outlet}؛ القائل: {said})"),
    "propose": ("Propose incidents", "اقترح الحوادث"),
    "no_text": ("Paste the report or upload a file first.", "الصق نص التقرير أو ارفع ملفاً أولاً."),
    "bad_url": ("The address must be a web address starting with http:// or https://.",
                "يجب أن يبدأ الرابط بـ http:// أو https://."),
    "no_gazetteer": ("The place gazetteer could not be loaded, so places cannot be recognised; details are in "
                     "the server log.", "تعذر تحميل المعجم الجغرافي فلا يمكن التعرف على الأماكن؛ التفاصيل في "
                     "سجل الخادم."),
    "extract_failed": ("The report could not be read for incidents; details are in the server log.",
                       "تعذرت قراءة التقرير لاستخراج الحوادث؛ التفاصيل في سجل الخادم."),
    "no_candidates": ("No incident was found in this text (no violence at a known place in Deir ez-Zor "
                      "governorate). Check the text and the publication date.",
                      "لم يُعثر على حادثة في هذا النص (لا عنف في مكان معروف في محافظة دير الزور). تحقق من "
                      "النص وتاريخ النشر."),
    "n_candidates": ("{n} candidate incident(s). Check each value against the highlighted text, correct it, then "
                     "choose what to do with it.", "{n} حادثة مقترحة. طابق كل قيمة مع النص المظلل وصححها ثم "
                     "اختر ما تفعله بها."),
    "candidate_pick": ("Candidate (its values are highlighted in the text)", "الحادثة المقترحة (قيمها مظللة في النص)"),
    "candidate": ("Candidate {n}", "الحادثة المقترحة {n}"),
    "place": ("Place", "المكان"),
    "as_written": ("as written", "كما ورد"),
    "place_search": ("Search the gazetteer (Arabic or English)", "ابحث في المعجم الجغرافي (عربي أو إنجليزي)"),
    "place_pick": ("Set the place to", "اجعل المكان"),
    "place_none": ("no known place", "مكان غير معروف"),
    "place_unchanged": ("(unchanged)", "(دون تغيير)"),
    "actor": ("Actor", "الطرف"),
    "certainty": ("Actor certainty", "درجة التأكد"),
    "event_type": ("Event type", "نوع الحدث"),
    "date_start": ("Date (from)", "التاريخ (من)"),
    "date_end": ("Date (to)", "التاريخ (إلى)"),
    "precision": ("Date precision", "دقة التاريخ"),
    "killed_min": ("Killed (min)", "القتلى (أدنى)"),
    "killed_max": ("Killed (max)", "القتلى (أقصى)"),
    "injured_min": ("Injured (min)", "الجرحى (أدنى)"),
    "injured_max": ("Injured (max)", "الجرحى (أقصى)"),
    "civilians": ("Civilians", "مدنيون"),
    "children": ("Children killed", "أطفال قتلى"),
    "women": ("Women killed", "نساء قتلى"),
    "attribution": ("Who says it (as written in the report)", "من يقول ذلك (كما ورد في التقرير)"),
    "quote": ("Quote: the exact words of the report", "الاقتباس: كلمات التقرير بحرفها"),
    "notes": ("Notes of the extractor", "ملاحظات الاستخراج"),
    "shared": ("One toll for several places: candidates {others} share these figures. Accepted, they are saved "
               "together as new incidents in one toll group (the toll is counted once).",
               "حصيلة واحدة لعدة أماكن: الحوادث المقترحة {others} تتشارك هذه الأرقام. عند قبولها تُحفظ معاً "
               "كحوادث جديدة في مجموعة حصيلة واحدة (تُحسب الحصيلة مرة واحدة)."),
    "fix": ("Fix before saving", "يجب التصحيح قبل الحفظ"),
    "similar": ("This may be an incident already stored. Compare, then attach this report as a further claim or "
                "save it as a new incident.", "قد تكون هذه حادثة مخزنة من قبل. قارن ثم أضف هذا التقرير كادعاء "
                "إضافي أو احفظه كحادثة جديدة."),
    "why": ("Why", "السبب"),
    "this_report": ("This report", "هذا التقرير"),
    "stored": ("Stored {date} · {place}", "مخزنة {date} · {place}"),
    "claims_note": ("The stored incident's claims and, last, this report's: nothing is overwritten.",
                    "ادعاءات الحادثة المخزنة ثم ادعاء هذا التقرير أخيراً: لا يُستبدل شيء."),
    "decision": ("What to do with this candidate", "ماذا تفعل بهذه الحادثة المقترحة"),
    "opt_new": ("Save as a new incident", "حفظ كحادثة جديدة"),
    "opt_attach": ("Attach as a claim to the stored incident of {date} at {place} · {uid}",
                   "إضافة كادعاء إلى الحادثة المخزنة بتاريخ {date} في {place} · {uid}"),
    "opt_drop": ("Drop it", "استبعادها"),
    "opt_attach_short": ("Attach to {uid}", "إضافة إلى {uid}"),
    "needs_reviewer": ("That stored incident is {status}: adding a claim to it needs the reviewer role, so this "
                       "would be refused. Save the candidate as a new draft instead: a reviewer will find the two on "
                       "the Possible duplicates page and can merge them, keeping every claim.",
                       "هذه الحادثة المخزنة {status}: إضافة ادعاء إليها تتطلب صلاحية مراجع فسيُرفض ذلك. احفظ الحادثة "
                       "المقترحة كمسودة جديدة بدلاً من ذلك: سيجدهما المراجع في صفحة الحوادث المكررة المحتملة ويمكنه "
                       "دمجهما مع الإبقاء على كل الادعاءات."),
    "save": ("Save {n} decided candidate(s) as drafts", "حفظ {n} حادثة مقترحة كمسودات"),
    "nothing_decided": ("Choose what to do with at least one candidate.", "اختر ما تفعله بحادثة مقترحة واحدة على "
                        "الأقل."),
    "undecided": ("{n} candidate(s) without a decision stay on this page; they are not saved.",
                  "{n} حادثة مقترحة بلا قرار تبقى في هذه الصفحة ولا تُحفظ."),
    "saved_new": ("Saved as the new draft incident {uid}.", "حُفظت كحادثة جديدة (مسودة) {uid}."),
    "saved_attach": ("Attached as a further claim to incident {uid}.", "أضيفت كادعاء إلى الحادثة {uid}."),
    "dropped": ("Dropped.", "استُبعدت."),
    "save_failed": ("Not saved: {message}", "لم تُحفظ: {message}"),
    "saved_summary": ("Saved: {new} new draft incident(s), {attached} claim(s) attached.",
                      "حُفظ: {new} حادثة جديدة (مسودة)، {attached} ادعاء مضاف."),
    "open": ("Open incident {uid}", "افتح الحادثة {uid}"),
    "new_report": ("Start another report", "ابدأ تقريراً آخر"),
    # Possible duplicates
    "dup_title": ("Possible duplicates", "حوادث مكررة محتملة"),
    "dup_intro": ("Pairs of stored incidents that may be the same event: same or nearby place, overlapping dates "
                  "(allowing for their precision), same actor or event type, similar wording. Merging keeps every "
                  "claim; a decided pair is not proposed again.",
                  "أزواج من الحوادث المخزنة قد تكون حدثاً واحداً: المكان نفسه أو مكان قريب، تواريخ متداخلة (مع "
                  "مراعاة دقتها)، الطرف أو نوع الحدث نفسه، صياغة متشابهة. الدمج يحتفظ بكل الادعاءات، والزوج "
                  "الذي اتُّخذ فيه قرار لا يُقترح ثانية."),
    "dup_viewer": ("This page compares unpublished records: it is for editors and reviewers.",
                   "هذه الصفحة تقارن سجلات غير منشورة: هي للمحررين والمراجعين."),
    "dup_none": ("No possible duplicates: every close pair has been decided.",
                 "لا توجد حوادث مكررة محتملة: اتُّخذ قرار في كل زوج متقارب."),
    "dup_count": ("{n} pair(s) to decide.", "{n} زوج بانتظار القرار."),
    "dup_cap": ("Showing the best {n} pairs; decide these to see more.",
                "تُعرض أفضل {n} أزواج؛ اتخذ القرار فيها لرؤية المزيد."),
    "dup_pick": ("Pair", "الزوج"),
    "score": ("Score", "الدرجة"),
    "reasons": ("Reasons", "الأسباب"),
    "keep": ("Keep", "الإبقاء على"),
    "keep_help": ("The other incident is merged into the one kept: all its claims move over and it is kept, "
                  "deleted, pointing to it.", "تُدمج الحادثة الأخرى في التي يُبقى عليها: تنتقل كل ادعاءاتها "
                  "وتبقى محذوفة مع إشارة إليها."),
    "reason": ("Reason (kept in the audit log)", "السبب (يُحفظ في سجل التدقيق)"),
    "keep_lower": ("The incident kept is {kept} and the other {other}: after the merge the record is {kept}, so "
                   "readers of published records no longer see it until it is published again. Keep the other "
                   "one unless that is what you want.",
                   "الحادثة التي يُبقى عليها {kept} والأخرى {other}: بعد الدمج يصبح السجل {kept} فلا يراه قراء "
                   "السجلات المنشورة حتى يُنشر مجدداً. أبقِ على الأخرى إلا إذا كان هذا ما تريده."),
    "merge": ("Merge, keeping every claim", "دمج مع الإبقاء على كل الادعاءات"),
    "distinct": ("Mark as different events", "حادثتان مختلفتان"),
    "reason_needed": ("Give a reason for merging: it stays in the audit log.",
                      "اذكر سبب الدمج: يبقى في سجل التدقيق."),
    "need_reviewer": ("Decisions (merge, mark distinct) need the reviewer role; you can compare the pairs.",
                      "القرارات (الدمج، التمييز) تتطلب صلاحية مراجع؛ يمكنك مقارنة الأزواج."),
    "merged": ("Merged {other} into {keep}; every claim kept.", "دُمجت {other} في {keep} مع كل الادعاءات."),
    "marked": ("Marked as different events; the pair will not be proposed again.",
               "سُجلتا كحادثتين مختلفتين؛ لن يُقترح الزوج ثانية."),
    "gone": ("One of these incidents no longer exists (merged or deleted meanwhile).",
             "إحدى هاتين الحادثتين لم تعد موجودة (دُمجت أو حُذفت في الأثناء)."),
    # facts of an incident
    "f_date": ("Date", "التاريخ"), "f_place": ("Place", "المكان"), "f_actor": ("Actor", "الطرف"),
    "f_type": ("Event type", "نوع الحدث"), "f_killed": ("Killed", "القتلى"), "f_injured": ("Injured", "الجرحى"),
    "f_civilians": ("Civilians", "مدنيون"), "f_children": ("Children killed", "أطفال قتلى"),
    "f_women": ("Women killed", "نساء قتلى"), "f_status": ("Status", "الحالة"), "f_grading": ("Grading", "التقييم"),
    "f_claims": ("Claims", "الادعاءات"), "f_sources": ("Sources", "المصادر"), "f_id": ("Id", "المعرّف"),
}


#: every table of the catalogue (the test checks each key has both languages)
#: The Import page (issue #13).
IMPORT: dict[str, tuple[str, str]] = {
    "title": ("Import a table", "استيراد جدول"),
    "not_allowed": ("Importing needs an editor account.", "الاستيراد يحتاج إلى حساب محرر."),
    "intro": ("CSV, XLSX or GeoJSON: your own table (English or Arabic headers), ACLED, UCDP GED or Airwars-style. "
              "Check the mapping and the preview, then import. A row imported before (same code, same source) "
              "updates its incident; nothing is added twice.",
              "CSV أو XLSX أو GeoJSON: جدولك الخاص (عناوين بالعربية أو الإنجليزية)، أو ACLED أو UCDP أو جدول على نمط "
              "Airwars. راجع الربط والمعاينة ثم استورد. الصف المستورد سابقاً (الرمز نفسه والمصدر نفسه) يحدّث حادثته "
              "ولا يضاف مرتين."),
    "file": ("Table file", "ملف الجدول"),
    "format": ("Format", "الصيغة"),
    "mapping_file": ("Saved mapping file (optional)", "ملف ربط محفوظ (اختياري)"),
    "keep": ("Keep columns without a field in each incident's extra data",
             "احتفظ بالأعمدة غير المربوطة في البيانات الإضافية لكل حادثة"),
    "source": ("Name of the table's own codes (its id space)", "اسم مجموعة رموز الجدول"),
    "country": ("Country to keep (optional)", "البلد المطلوب (اختياري)"),
    "governorate": ("Governorate to keep (optional)", "المحافظة المطلوبة (اختياري)"),
    "outside": ("Import rows outside this area too", "استورد الصفوف خارج هذه المنطقة أيضاً"),
    "mapping": ("Column mapping", "ربط الأعمدة"),
    "mapping_help": ("Each column of the file and the field it fills. 'extra' keeps it as it came; 'ignore' leaves "
                     "it out on purpose.", "كل عمود في الملف والحقل الذي يملؤه. ‏'extra' يحفظه كما ورد و'ignore' "
                     "يتركه عمداً."),
    "fixed": ("{fmt} columns are read as that format.", "تُقرأ أعمدة {fmt} وفق تلك الصيغة."),
    "save_mapping": ("Download this mapping file", "تنزيل ملف الربط هذا"),
    "preview": ("First rows as they will be stored", "الصفوف الأولى كما ستُخزَّن"),
    "encoding": ("Encoding: {encoding} — {evidence}", "الترميز: {encoding} — {evidence}"),
    "skip": ("Import the valid rows and set the rejected ones aside", "استورد الصفوف الصالحة وضع المرفوضة جانباً"),
    "go": ("Import", "استيراد"),
    "working": ("Importing…", "جارٍ الاستيراد…"),
    "rejected": ("Rejected rows (nothing was written)", "الصفوف المرفوضة (لم يُكتب شيء)"),
    "rejected_aside": ("Rejected rows (set aside)", "الصفوف المرفوضة (وُضعت جانباً)"),
    "rejected_csv": ("Download the rejected rows", "تنزيل الصفوف المرفوضة"),
    "unplaced": ("Places that could not be located", "أماكن تعذّر تحديد موقعها"),
    "outside_rows": ("Rows outside the chosen area", "صفوف خارج المنطقة المختارة"),
    "deleted_rows": ("Rows skipped: they match deleted incidents (an admin restores them on the Admin page "
                     "first; then import again to update them)",
                     "صفوف تُركت: تطابق حوادث محذوفة (يستعيدها المشرف أولاً من صفحة الإدارة، ثم أعد الاستيراد "
                     "لتحديثها)"),
}

CATALOGUE = {"labels": _LABELS, "claim_fields": CLAIM_FIELDS, "places_edit": PLACES_EDIT, "edit": EDIT,
             "review": REVIEW, "import": IMPORT}

def has(key: str) -> bool:
    """Whether the catalogue holds ``key``."""
    return key in _LABELS


def t(key: str, lang: str = "en", **values: object) -> str:
    """Return the label ``key`` in ``lang`` ("en" or "ar"), formatted with ``values``."""
    english, arabic = _LABELS[key]
    text = arabic if lang == "ar" else english
    return text.format(**values) if values else text


# Counting rules (issue #11): the assumptions switch, the undated filter, and what the totals count.
_LABELS.update({
    "include_drafts": ("Count drafts", "احتساب المسودات"),
    "include_drafts_help": ("Drafts (records nobody has reviewed yet) are left out of every total unless this is "
                            "on.", "المسودات (سجلات لم يراجعها أحد بعد) لا تدخل في أي مجموع ما لم يُفعَّل هذا."),
    "undated_only": ("Undated incidents only", "الحوادث غير المؤرخة فقط"),
    "undated_only_help": ("Show only the incidents without a date (they fall outside any date range).",
                          "عرض الحوادث التي لا تاريخ لها فقط (تقع خارج أي نطاق للتاريخ)."),
    "see_duplicates": ("Decide the possible duplicates", "البتّ في الحوادث المكررة المحتملة"),
    "show_undated": ("Show the undated incidents", "عرض الحوادث غير المؤرخة"),
    "undated_bin": ("undated", "بلا تاريخ"),
    "cumulative_title": ("Cumulative tolls (context, not summed)", "حصائل تراكمية (للسياق، لا تُجمع)"),
    "f_kind": ("Record kind", "نوع السجل"),
    "covers": ("Its toll covers {n} recorded incident(s), counted once with them:",
               "حصيلته تشمل {n} من الحوادث المسجلة، وتُحسب معها مرة واحدة:"),
    "cumulative_line": ("{killed} killed over {start} – {end}: {place}", "{killed} قتيلاً خلال {start} – {end}: {place}"),
})

# What an import keeps in an incident's extra data (issue #13), shown on the incident's page.
_LABELS.update({
    "x_actors": ("Suspected belligerents ({certainty})", "الأطراف المشتبه بها ({certainty})"),
    "x_children_killed": ("Children killed, as the file gave the range", "الأطفال القتلى، بالنطاق الوارد في الملف"),
    "x_women_killed": ("Women killed, as the file gave the range", "النساء القتلى، بالنطاق الوارد في الملف"),
    "x_men_killed": ("Men killed, as the file gave the range", "الرجال القتلى، بالنطاق الوارد في الملف"),
    "x_up_to": ("up to {n}", "حتى {n}"),
    "x_location_accuracy": ("Location accuracy, as the file stated it", "دقة الموقع، كما وردت في الملف"),
    "x_other": ("Other columns from the imported file", "أعمدة أخرى من الملف المستورد"),
    "x_column": ("Column", "العمود"),
    "x_value": ("Value", "القيمة"),
})

# Named victims (issue #18): the incident's list, the place profile, the person search, the admin switch.
_LABELS.update({
    "victims": ("Named victims", "الضحايا بالاسم"),
    "v_name": ("Name", "الاسم"), "v_name_ar": ("Name in Arabic (as written)", "الاسم بالعربية (كما ورد)"),
    "v_name_en": ("Name in Latin letters (as written)", "الاسم بالحروف اللاتينية (كما ورد)"),
    "v_age": ("Age", "العمر"), "v_age_years": ("{age} years", "{age} سنة"), "v_age_group": ("Age group", "الفئة العمرية"),
    "v_sex": ("Sex", "الجنس"), "v_outcome": ("Killed or injured", "قتيل أم جريح"),
    "v_status": ("Civilian or combatant", "مدني أم مقاتل"), "v_relation": ("Relationship notes", "صلة القرابة"),
    "v_source": ("Source naming them", "المصدر الذي سمّاه"), "v_quote": ("Sentence naming them", "الجملة التي تسمّيه"),
    "v_person": ("Person", "الشخص"),
    "v_age_group_child": ("child (under 18)", "طفل (دون 18)"), "v_age_group_adult": ("adult", "بالغ"),
    "v_age_group_unknown": ("age unknown", "العمر غير معروف"),
    "v_sex_female": ("female", "أنثى"), "v_sex_male": ("male", "ذكر"), "v_sex_unknown": ("sex unknown", "الجنس غير معروف"),
    "v_outcome_killed": ("killed", "قُتل"), "v_outcome_injured": ("injured", "أُصيب"),
    "v_status_civilian": ("civilian", "مدني"), "v_status_combatant": ("combatant", "مقاتل"),
    "v_status_unknown": ("status unknown", "الصفة غير معروفة"),
    "v_exceeds": ("{named} people are named as killed: more than any source's toll. Review the list and the "
                  "figures.", "سُمّي {named} قتلى بالاسم: أكثر من حصيلة أي مصدر. راجِع القائمة والأرقام."),
    "v_derived": ("No source counts them: from the named victims, {children} children and {women} women killed.",
                  "لا يذكر أي مصدر عددهم: من الضحايا المسمَّين، {children} أطفال و{women} نساء قتلى."),
    "v_names_hidden": ("Names are visible to editors, and to viewers only where an admin allows it.",
                       "الأسماء ظاهرة للمحررين، وللمشاهدين فقط إذا سمح المدير."),
    "v_none": ("No named victims recorded.", "لا ضحايا مسجلين بالاسم."),
    "v_edit": ("Add or change named victims", "إضافة ضحايا بالاسم أو تعديلهم"),
    "v_add": ("Add this person", "أضف هذا الشخص"),
    "v_withhold": ("Withhold name", "حجب الاسم"), "v_show_name": ("Show name again", "إظهار الاسم مجدداً"),
    "v_withheld_mark": ("withheld", "محجوب"), "v_remove": ("Remove", "حذف"),
    "v_search": ("Find a person", "البحث عن شخص"),
    "v_search_name": ("Name (any spelling, Arabic or Latin)", "الاسم (بأي تهجئة، بالعربية أو اللاتينية)"),
    "v_search_none": ("Nobody of that name is recorded.", "لا أحد مسجّل بهذا الاسم."),
    "v_search_denied": ("Searching by name is open to editors, and to viewers where an admin allows it.",
                        "البحث بالاسم متاح للمحررين، وللمشاهدين إذا سمح المدير."),
    "v_viewers_see": ("Viewers may see victims' names", "يمكن للمشاهدين رؤية أسماء الضحايا"),
    "v_viewers_see_help": ("Off by default. Every view of a victims list is written to the audit log either way.",
                           "مُعطّل افتراضياً. كل اطلاع على قائمة ضحايا يُسجَّل في سجل التدقيق في الحالتين."),
    "named_keep": ("Named victims to save with this record", "الضحايا بالاسم الذين يُحفظون مع هذا السجل"),
    "named_keep_help": ("Persons the report names, as read; drop any that do not belong to this incident.",
                        "أشخاص يسمّيهم التقرير كما قُرئوا؛ احذف من لا ينتمي إلى هذه الحادثة."),
    "v_export_names": ("Include victims' names", "تضمين أسماء الضحايا"),
    "v_flags": ("To review: {n} incident(s) name more people killed than any source's toll:",
                "للمراجعة: {n} حادثة تسمّي قتلى أكثر من حصيلة أي مصدر:"),
    "v_history": ("History of the named victims (writes and reads)", "سجل الضحايا بالاسم (تعديلات واطلاعات)"),
    "v_same_as": ("Same person as", "الشخص نفسه المذكور في"),
    "v_export": ("Prepare the named victims (CSV)", "تجهيز الضحايا بالاسم (CSV)"),
    "v_download": ("Download {n} named victim(s) (CSV)", "تنزيل {n} من الضحايا بالاسم (CSV)"),
    # named victims as a floor for figures set by hand (#18)
    "v_below_named": ("The figures were set by hand ({figure} killed at least), below the {named} people named as "
                      "killed. They are left as set: review them.",
                      "الأرقام مُدخلة يدوياً ({figure} قتيلاً على الأقل)، وهي أقل من {named} قتلى مسمّين بالاسم. "
                      "تُركت كما أُدخلت: راجِعها."),
    "v_flags_editor": ("To review: {n} incident(s) have figures set by hand below the people named as killed:",
                       "للمراجعة: {n} حادثة أرقامها مُدخلة يدوياً وأقل من عدد القتلى المسمّين بالاسم:"),
})

# issue #17 (second pass): spinners, the history view, the place page's facts, open-ended figures in tables
_LABELS.update({
    "spin_gazetteer": ("Loading the gazetteer…", "جارٍ تحميل المعجم الجغرافي…"),
    "spin_incidents": ("Loading incidents…", "جارٍ تحميل الحوادث…"),
    "spin_search": ("Indexing the text for search…", "جارٍ فهرسة النصوص للبحث…"),
    "spin_map": ("Preparing the map…", "جارٍ تجهيز الخريطة…"),
    "spin_added_places": ("Adding the places users added…", "جارٍ إضافة الأماكن التي أضافها المستخدمون…"),
    "spin_duplicates": ("Looking for possible duplicates…", "جارٍ البحث عن حوادث مكررة محتملة…"),
    "h_act_create": ("created", "أُنشئ"), "h_act_import": ("imported", "استُورد"),
    "h_act_sample": ("loaded as sample", "حُمّل كبيانات نموذجية"), "h_act_update": ("edited", "عُدّل"),
    "h_act_status": ("status changed", "تغيّرت الحالة"), "h_act_grade": ("graded", "قُيّم"),
    "h_act_add_claim": ("claim added", "أُضيف ادعاء"), "h_act_delete": ("deleted", "حُذف"),
    "h_act_restore": ("restored", "استُعيد"), "h_act_merge": ("merged", "دُمج"), "h_act_move": ("moved", "نُقل"),
    "h_act_mark_distinct": ("marked distinct", "عُلّم كحادثة مستقلة"),
    "h_col_when": ("when (UTC)", "الوقت (UTC)"), "h_col_who": ("who", "من"), "h_col_action": ("action", "الإجراء"),
    "h_col_record": ("record", "السجل"), "h_col_field": ("field", "الحقل"),
    "h_col_old": ("old value", "القيمة السابقة"), "h_col_new": ("new value", "القيمة الجديدة"),
    "h_col_reason": ("reason", "السبب"), "h_incident": ("incident", "الحادثة"),
    "h_hidden": ("The history of a record (who entered and changed it) is shown to editors, reviewers and admins.",
                 "يُعرض سجل التعديلات (من أدخل السجل ومن غيّره) للمحررين والمراجعين والمديرين."),
    "h_missing": ("No incident with id {uid}.", "لا حادثة بالمعرّف {uid}."),
    "h_title": ("History", "سجل التعديلات"),
    "h_changes": ("{n} change(s) recorded", "التعديلات المسجّلة: {n}"),
    "h_download": ("Download this history (CSV)", "تنزيل هذا السجل (CSV)"),
    "h_now": ("now in the record", "القيمة الحالية في السجل"),
    "h_yours": ("your change (not saved)", "تعديلك (لم يُحفظ)"),
    "other_spellings": ("Other spellings", "تهجئات أخرى"),
    "population": ("Population", "عدد السكان"),
    "place_id": ("Id", "المعرّف"),
    "kind_village": ("village", "قرية"), "kind_town": ("town", "بلدة"), "kind_city": ("city", "مدينة"),
    "kind_neighbourhood": ("neighbourhood", "حي"), "kind_site": ("site", "موقع"), "kind_camp": ("camp", "مخيم"),
    "kind_subdistrict": ("sub-district", "ناحية"), "kind_district": ("district", "منطقة"),
    "kind_governorate": ("governorate", "محافظة"),
    "figures_by_editor": ("Figures set by an editor: {reason}", "أرقام حدّدها محرر: {reason}"),
    "nearby_line": ("{name} — {km} km ({n})", "{name} — {km} كم ({n})"),
    "or_more": ("{n}+", "{n} فأكثر"),  # an open maximum: "70 فأكثر" reads right in any direction ("70+" does not)
    "best_of": (" (best {n})", " (التقدير الأفضل {n})"),
})
