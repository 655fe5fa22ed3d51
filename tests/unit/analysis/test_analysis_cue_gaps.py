"""Threats, faults and chronic-complainer signs said in ways the plain cue words missed (appeals to
officials, a rights event, words between the two halves of a fault, a time word before 多收).
Read by the whole engine (cues and the shipped learned layer); example sentences are the team's own."""

from __future__ import annotations

from complaintdesk.analysis import analyze


def faults(text: str) -> set[str]:
    return {f.kind for f in analyze(text).company_faults}


def test_an_appeal_to_the_authorities_alone_is_no_regulator_threat() -> None:
    # Session 16: tune i–k label a bare appeal (希望/请有关部门 …) no threat, 11 of 12; half a cue now
    assert "regulator" not in analyze("路灯坏了三个月没人修,恳请有关部门管一管。").threat_kinds


def test_complaining_to_the_authorities_stays_a_regulator_threat() -> None:
    assert "regulator" in analyze("路灯坏了三个月没人修,我已经向有关部门反映了。").threat_kinds
    assert "regulator" in analyze("路灯坏了三个月没人修,恳请有关部门管一管,不然我就打12345投诉。").threat_kinds


def test_a_letter_addressed_to_district_officials_is_a_regulator_threat() -> None:
    assert "regulator" in analyze("尊敬的区领导:我们小区的供暖一直不达标,物业不闻不问。").threat_kinds


def test_taking_the_case_to_a_rights_protection_event_is_a_media_threat() -> None:
    assert "media" in analyze("再不给我换车,我就把车开到维权大会现场去。").threat_kinds


def test_do_you_believe_i_will_hit_you_is_a_violence_threat() -> None:
    assert "violence" in analyze("我舅舅在派出所,你们再推,信不信我动手。").threat_kinds


def test_reading_other_peoples_posts_is_not_a_threat_to_post() -> None:
    reading = analyze("我刷小红书微博看到好多人也说这家店缺斤少两。")
    assert "social_media" not in reading.threat_kinds
    reading = analyze("前几天在抖音上看到你们的广告才买的。")
    assert "social_media" not in reading.threat_kinds


def test_posting_on_a_platform_after_reading_stays_a_threat() -> None:
    assert "social_media" in analyze("再不退款,我就把这些截图发到微博上。").threat_kinds


def test_the_company_cutting_a_supply_with_words_between_is_a_wrongful_suspension() -> None:
    assert "wrongful_suspension" in faults("物业为了催费,把我们这一层的水给停了。")


def test_a_service_cut_without_a_word_of_notice_is_a_wrongful_suspension() -> None:
    assert "wrongful_suspension" in faults("宽带公司说断就断,连个通知都没有。")


def test_an_arranged_visit_where_nobody_came_is_a_missed_appointment() -> None:
    text = "客服把安装安排在下周二上午。到了那天我请假在家,结果一个人都没来。"
    assert "missed_appointment" in faults(text)


def test_a_booking_the_company_got_wrong_is_a_missed_appointment() -> None:
    assert "missed_appointment" in faults("网点把我的预约时间弄错了,白跑一趟。")


def test_a_time_word_before_duo_shou_is_not_an_overcharge() -> None:
    assert "billing_error" not in faults("昨晚十点多收到快递,打开发现屏幕碎了。")
    assert "billing_error" in faults("这个月的话费又多收了二十块。")


def test_complained_countless_times_and_all_liars_are_chronic_signs() -> None:
    signs = analyze("我投诉过无数次了,你们这帮人全是骗子。").chronic_complainer.signs
    assert {"absolute_language", "blames_others"} <= {s.sign for s in signs}


def test_you_must_again_and_again_is_absolute_language() -> None:
    signs = analyze("你们必须马上派人,你们必须承担全部费用。").chronic_complainer.signs
    assert "absolute_language" in {s.sign for s in signs}
    one = analyze("你们必须马上派人来修。").chronic_complainer.signs
    assert "absolute_language" not in {s.sign for s in one}


def test_the_company_switching_off_what_the_customer_paid_for_is_a_wrongful_suspension() -> None:
    assert "wrongful_suspension" in faults("套餐还没到期,运营商就把我的通话功能关掉了,一个电话也打不出去。")


def test_the_press_already_asking_about_the_case_is_a_media_threat() -> None:
    assert "media" in analyze("楼上漏水泡坏了我的天花板,电视台的记者已经在问这件事了。").threat_kinds
