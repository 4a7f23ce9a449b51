"""The demo library's text (edlead/demo/library.py): case studies, tools, documents, videos and readings
in the words of Massachusetts school leaders. Every school, district and person named is invented."""

from __future__ import annotations

from typing import Any

# A case study: title, summary, context, challenge, actions, results, questions, topics, roles, indicators.
CASES: list[dict[str, Any]] = [
    {
        "title": "Cutting chronic absenteeism at a K-8 school",
        "summary": "How a K-8 principal and her attendance team brought chronic absenteeism from 24% to 15% in "
        "one year by treating attendance as a relationship problem before a compliance problem.",
        "context": "Maple Street K-8 serves 610 students in a Gateway City district; 71% are high needs and 28% "
        "English learners. After the pandemic years the school's chronic absenteeism sat at 24%, and the "
        "district's accountability report named it a reason the school was making limited progress toward "
        "its targets.",
        "challenge": "Letters home and truancy referrals had not moved the number. Teachers saw absences as a "
        "family matter; families said the school called only when something was wrong. The attendance "
        "clerk tracked absences by hand and nobody looked at the data until the October 1 report.",
        "actions": "The principal formed a weekly attendance team (assistant principal, adjustment counselor, "
        "family liaison, two teacher leaders). Every student missing 10% of days so far had a named adult "
        "who called home with good news first. The family liaison ran coffee hours in Spanish and Portuguese, "
        "and the school paired with the district's transportation office to fix two bus routes that ran late. "
        "Attendance data went on every grade-level team's agenda every two weeks.",
        "results": "Chronic absenteeism fell to 15% by June, and to 11% for students with a named adult. "
        "Family attendance at conferences rose from 58% to 81%. Teachers reported in the staff survey that "
        "they knew which of their students were at risk of missing school.",
        "questions": "Which of the actions depended on people rather than on a program, and how would you keep "
        "them going when staff change?\nWhat data would you look at every two weeks in your own school, and who "
        "would look at it with you?\nHow did the school make families partners rather than the subject of "
        "letters? What would that look like where you lead?",
        "body": "Use with Standard III (Family and Community Engagement) sessions. Allow 45 minutes: 10 to read, "
        "20 in triads on the questions, 15 to share one action each principal will try.",
        "topics": ("family-engagement", "school-culture", "data-use"),
        "roles": ("principal", "assistant_principal"),
        "indicators": ("III-A", "III-C", "I-E"),
    },
    {
        "title": "Building a data team culture in a comprehensive high school",
        "summary": "A new principal turns departmental data meetings from compliance rituals into "
        "conversations about student work, with common assessments and a simple protocol.",
        "context": "Riverbend High School (1,350 students, grades 9–12) had department heads who ran data "
        "meetings after each MCAS release. Teachers called them \"the meeting where we look at last year's "
        "scores\". The school's median SGP in ELA had been between 38 and 42 for three years.",
        "challenge": "Teachers had no common assessments within a course, so there was nothing recent to "
        "discuss; department heads felt they were asked to judge colleagues; and the schedule gave teams "
        "no common planning time.",
        "actions": "The principal worked with the scheduling committee to give each course team one common "
        "planning block a week. Course teams wrote one common assessment per unit and looked at student work "
        "with a four-step protocol (predict, observe, infer, act). The principal and assistant principals "
        "sat in on meetings as participants, not evaluators, and kept data-team notes out of evaluations.",
        "results": "By the second year, 11 of 14 core course teams met weekly with student work. The ELA median "
        'SGP rose to 49. In the staff survey the share of teachers who agreed that "our team uses data to '
        'change instruction" went from 34% to 72%.',
        "questions": "Why did keeping data-team notes out of evaluations matter to teachers?\nWhat did the "
        "schedule change cost, and was it worth it?\nWhich step of the protocol would your teams skip, and why?",
        "body": "",
        "topics": ("data-use", "instructional-leadership"),
        "roles": ("principal", "assistant_principal", "teacher_leader"),
        "indicators": ("I-C", "I-E", "II-C"),
    },
    {
        "title": "Entry plan of a first-year principal",
        "summary": "A first-year elementary principal's listening tour, the three priorities it produced, and "
        "what she would do differently.",
        "context": "A principal new to the district took over Hillside Elementary (380 students) in August, "
        "after a well-liked principal of twelve years retired. Two of the school's five grade-level teams "
        "had new team leaders.",
        "challenge": "Staff expected change and feared it; the school council wanted to know her plans; her "
        "supervisor expected a draft school improvement plan by November 1.",
        "actions": "She met every staff member for 20 minutes in the first six weeks with the same four "
        "questions, held two family evenings, and read three years of school council minutes and DESE "
        'profile data. She shared a one-page "what I heard" summary with staff before naming any priority, '
        "and drafted the plan's goals with the instructional leadership team.",
        "results": "The school improvement plan named three priorities (early literacy, a consistent behavior "
        "approach, family communication) that staff recognised as theirs. In the spring staff survey 88% "
        "agreed that the principal listened before acting.",
        "questions": "Which four questions would you ask every staff member, and why those?\nWhat would you "
        "not change in your first year, even if you thought it should change?\nHow would you share what you "
        "heard without breaking confidences?",
        "body": "Pairs well with the entry plan template in the library.",
        "topics": ("school-culture", "improvement-planning"),
        "roles": ("principal", "assistant_principal"),
        "indicators": ("IV-E", "IV-C", "III-C"),
    },
    {
        "title": "Inclusive scheduling for students with disabilities at a middle school",
        "summary": "A middle school moves from pull-out services to co-taught classes and has to rebuild its "
        "master schedule around students' IEPs.",
        "context": "Eastfield Middle School (720 students, grades 6–8; 19% students with disabilities) "
        "served most students with IEPs in pull-out sessions that took them out of science and social "
        "studies. The district's special education review flagged the practice.",
        "challenge": "Building a schedule that kept students with disabilities in grade-level core classes "
        "meant pairing special educators with content teachers, whose planning times did not match, while "
        "keeping within the staffing the budget allowed.",
        "actions": "The principal, the special education team chair and the guidance director built the "
        "schedule by hand-placing students with IEPs first, then forming co-taught sections, then the rest. "
        "Co-teaching pairs got a shared planning period and two days of training in August with the "
        "district's inclusion coach.",
        "results": "Time in general education for students with IEPs rose from 61% to 83% of the day. Course "
        "failure rates for students with disabilities in science fell by half. Two co-teaching pairs asked "
        "to stay together the next year; one pair did not work and was changed at midyear.",
        "questions": "What did the school give up to schedule students with IEPs first?\nHow would you decide "
        "which teachers co-teach?\nWhat would you say to a parent who preferred the pull-out service?",
        "body": "",
        "topics": ("special-education", "operations", "equity"),
        "roles": ("principal", "assistant_principal", "director"),
        "indicators": ("II-C", "I-B", "IV-B"),
    },
    {
        "title": "Supervising principals through instructional rounds",
        "summary": "A principal supervisor replaces compliance visits with instructional rounds in a network "
        "of eleven schools, and the principals start visiting each other.",
        "context": "The North Network of a mid-sized district has eleven schools and one principal supervisor "
        "(an executive director of instruction and school leadership). School visits had been checklists: "
        "posted objectives, data walls, binder of lesson plans.",
        "challenge": "Principals saw visits as inspections, and the supervisor had no shared picture of "
        "instruction across schools to coach from.",
        "actions": "The supervisor and the principals chose one problem of practice for the year (the level "
        "of the tasks students are asked to do). Each month the network visited one school in rounds: "
        "observe, describe without judging, find patterns, suggest the next level of work. The host "
        "principal chose the focus. Visit notes were shared with the host, never with evaluations.",
        "results": "All eleven principals hosted once by May. Eight principals ran rounds in their own "
        "schools with teacher leaders. In the end-of-year survey, principals rated the network meetings the "
        "most useful support they received from the district.",
        "questions": "How did separating rounds from evaluation change what principals were willing to show?\n"
        "What is a problem of practice your network could share for a year?\nHow would you know rounds are "
        "changing instruction, not only conversations?",
        "body": "",
        "topics": ("instructional-leadership", "talent"),
        "roles": ("principal_supervisor", "principal"),
        "indicators": ("I-B", "I-D", "IV-D"),
    },
]

# Other resources: title, kind, summary, body, url, topics, roles, indicators, riverton (published by
# Riverton rather than the state), attachment text (a .txt file kept in the attachment store) or "".
OTHERS: list[dict[str, Any]] = [
    {
        "title": "Entry plan template for new principals",
        "kind": "tool",
        "summary": "A fill-in template for a first-year principal's entry plan: listening tour, data review, "
        "what I heard, first priorities.",
        "body": "Sections: 1. Purpose and timeline. 2. Whom I will meet and the questions I will ask. 3. Data I "
        "will review (DESE profile, attendance, discipline, staff survey). 4. What I heard. 5. Priorities "
        "for the school improvement plan.",
        "topics": ("improvement-planning", "school-culture"),
        "roles": ("principal", "assistant_principal"),
        "indicators": ("IV-E",),
        "file": "ENTRY PLAN TEMPLATE\n\n1. Purpose and timeline\n2. Listening tour: whom, when, which "
        "questions\n3. Data review\n4. What I heard\n5. First priorities\n",
    },
    {
        "title": "Data meeting protocol: predict, observe, infer, act",
        "kind": "tool",
        "summary": "A four-step, 50-minute protocol for grade-level and course teams looking at common "
        "assessment results and student work.",
        "body": "Predict (5 min): what do we expect to see? Observe (15 min): only what the data shows. Infer "
        "(15 min): why? Act (15 min): one change for the next two weeks, and how we will know.",
        "topics": ("data-use", "instructional-leadership"),
        "roles": ("teacher_leader", "principal", "assistant_principal"),
        "indicators": ("I-C", "I-E"),
        "file": "DATA MEETING PROTOCOL\n\nPredict - 5 min\nObserve - 15 min\nInfer - 15 min\nAct - 15 min\n",
    },
    {
        "title": "Classroom walkthrough look-fors (Riverton)",
        "kind": "tool",
        "summary": "Riverton's one-page list of what to look for in a ten-minute classroom visit, aligned with "
        "the district's instructional focus on student discourse.",
        "body": "Use in pairs; leave a note with one strength and one question for the teacher the same day.",
        "topics": ("instructional-leadership",),
        "roles": ("principal", "assistant_principal", "principal_supervisor"),
        "indicators": ("I-B", "I-D"),
        "riverton": True,
        "file": "WALKTHROUGH LOOK-FORS\n\n- Students explain their reasoning\n- Students respond to each "
        "other\n- The task asks for more than recall\n",
    },
    {
        "title": "S.M.A.R.T.I.E. goal worksheet for administrators",
        "kind": "tool",
        "summary": "A worksheet for writing student learning, professional practice and school improvement "
        "goals that are specific, measurable, inclusive and equitable, with benchmarks.",
        "body": "For step 2 of the evaluation cycle (goal setting and plan development).",
        "topics": ("improvement-planning", "talent"),
        "roles": ("principal", "assistant_principal", "principal_supervisor"),
        "indicators": ("I-F", "IV-A"),
    },
    {
        "title": "Family engagement planning guide",
        "kind": "document",
        "summary": "How a school council and principal plan family engagement for the year: two-way "
        "communication, families as decision-makers, and translation.",
        "body": "Includes a calendar template and questions for the school council's first meeting.",
        "topics": ("family-engagement",),
        "roles": ("principal", "assistant_principal", "teacher_leader"),
        "indicators": ("III-A", "III-B", "III-C"),
    },
    {
        "title": "Leading for English learners: a guide for principals",
        "kind": "document",
        "summary": "What principals and assistant principals who evaluate teachers of English learners need "
        "to know: programs, ACCESS results, and the SEI endorsement.",
        "body": "",
        "topics": ("english-learners", "equity"),
        "roles": ("principal", "assistant_principal", "director"),
        "indicators": ("I-B", "IV-B"),
    },
    {
        "title": "Budget building calendar for school leaders (Riverton)",
        "kind": "document",
        "summary": "Riverton's budget calendar from the October enrollment projection to the school "
        "committee's vote, with what principals submit and when.",
        "body": "",
        "topics": ("operations",),
        "roles": ("principal", "director"),
        "indicators": ("II-E",),
        "riverton": True,
    },
    {
        "title": "Hiring for the first year: a principal's interview kit",
        "kind": "tool",
        "summary": "Interview questions, a demonstration lesson rubric and a reference check form for "
        "hiring teachers, built for a hiring committee with a teacher and a parent.",
        "body": "",
        "topics": ("talent",),
        "roles": ("principal", "assistant_principal"),
        "indicators": ("II-B",),
    },
    {
        "title": "Restorative practices in middle school: a starter guide",
        "kind": "document",
        "summary": "Circles, restorative conversations and re-entry meetings: how to start with one grade "
        "team and a discipline data review.",
        "body": "",
        "topics": ("school-culture", "equity"),
        "roles": ("assistant_principal", "teacher_leader", "principal"),
        "indicators": ("II-A", "IV-F"),
    },
    {
        "title": "Giving feedback after an observation",
        "kind": "video",
        "summary": "A 12-minute video of an assistant principal's post-observation conversation, with pauses "
        "for discussion: evidence first, one focus, a next step the teacher owns.",
        "body": "",
        "url": "https://video.example.org/edlead/feedback-after-observation",
        "topics": ("instructional-leadership", "talent"),
        "roles": ("assistant_principal", "principal"),
        "indicators": ("I-D",),
    },
    {
        "title": "Running a school council meeting",
        "kind": "video",
        "summary": "An 8-minute video on agendas, quorum, minutes and the school improvement plan's approval "
        "by the school council under Massachusetts law.",
        "body": "",
        "url": "https://video.example.org/edlead/school-council",
        "topics": ("family-engagement", "improvement-planning"),
        "roles": ("principal",),
        "indicators": ("III-B", "II-D"),
    },
    {
        "title": "Principal supervisor standards: a reading",
        "kind": "reading",
        "summary": "A summary of the 2015 Model Principal Supervisor Professional Standards and what they ask "
        "of supervisors: coaching principals as instructional leaders.",
        "body": "",
        "url": "https://reading.example.org/principal-supervisor-standards",
        "topics": ("talent", "instructional-leadership"),
        "roles": ("principal_supervisor", "superintendent", "assistant_superintendent"),
        "indicators": ("IV-D",),
    },
    {
        "title": "Principal pipelines: what the research says",
        "kind": "reading",
        "summary": "A two-page reading on the Principal Pipeline Initiative's results: leader standards, "
        "selective hiring, on-the-job support and leader tracking systems.",
        "body": "",
        "url": "https://reading.example.org/principal-pipelines",
        "topics": ("talent",),
        "roles": ("superintendent", "assistant_superintendent", "principal_supervisor", "director"),
        "indicators": ("II-B",),
    },
    {
        "title": "Cultural proficiency self-assessment",
        "kind": "tool",
        "summary": "A self-assessment for leadership teams on policies, practices and relationships, with "
        "discussion prompts for a staff meeting.",
        "body": "",
        "topics": ("equity", "school-culture"),
        "roles": ("principal", "assistant_principal", "teacher_leader", "coach"),
        "indicators": ("IV-B",),
    },
    {
        "title": "Master schedule review checklist",
        "kind": "tool",
        "summary": "Questions to ask of a draft master schedule: common planning time, intervention blocks, "
        "access to advanced coursework, services for students with IEPs and English learners.",
        "body": "",
        "topics": ("operations", "equity"),
        "roles": ("principal", "assistant_principal", "director"),
        "indicators": ("II-C",),
    },
    {
        "title": "Safety drills and reunification planning",
        "kind": "document",
        "summary": "What a school's multi-hazard plan covers, the drills required in a year, and how to plan "
        "reunification with families and first responders.",
        "body": "",
        "topics": ("operations",),
        "roles": ("principal", "assistant_principal"),
        "indicators": ("II-A", "II-D"),
    },
    {
        "title": "Mentoring a new assistant principal (Riverton)",
        "kind": "document",
        "summary": "Riverton's guide for principals who mentor a new assistant principal: the first 90 days, "
        "shared observations and a monthly conversation guide.",
        "body": "",
        "topics": ("talent", "instructional-leadership"),
        "roles": ("principal", "assistant_principal"),
        "indicators": ("II-B", "IV-D"),
        "riverton": True,
    },
    {
        "title": "Teacher leader roles: a planning guide",
        "kind": "document",
        "summary": "How to define teacher leader roles (team leader, instructional coach, data lead), their "
        "time, stipends and how they are chosen.",
        "body": "",
        "topics": ("talent", "school-culture"),
        "roles": ("teacher_leader", "principal"),
        "indicators": ("IV-E", "II-B"),
    },
    {
        "title": "Student discourse routines for the whole school",
        "kind": "reading",
        "summary": "A reading on turn-and-talk, accountable talk stems and structured academic controversy, "
        "and how leaders support them across a school.",
        "body": "",
        "url": "https://reading.example.org/student-discourse",
        "topics": ("instructional-leadership", "english-learners"),
        "roles": ("teacher_leader", "teacher", "coach"),
        "indicators": ("I-B",),
    },
    {
        "title": "Attendance team meeting agenda",
        "kind": "tool",
        "summary": "A 30-minute weekly agenda for a school's attendance team: the list of students near 10% "
        "absence, a named adult for each, what was tried, family contacts.",
        "body": "",
        "topics": ("family-engagement", "data-use"),
        "roles": ("assistant_principal", "principal"),
        "indicators": ("III-A", "I-E"),
        "file": "ATTENDANCE TEAM - WEEKLY\n\n1. Students near 10%\n2. Named adult and last contact\n3. What "
        "was tried\n4. Next step and owner\n",
    },
]

DRAFT: dict[str, Any] = {
    "title": "Riverton's coaching cycle handbook (draft)",
    "kind": "document",
    "summary": "A draft of the handbook for Riverton's instructional coaches and the principals they work "
    "with: a six-week cycle, goal, modelling, co-teaching, reflection.",
    "body": "Still to write: the section on keeping coaching separate from evaluation.",
    "topics": ("instructional-leadership",),
    "roles": ("coach", "principal"),
    "indicators": ("I-B",),
    "riverton": True,
}
