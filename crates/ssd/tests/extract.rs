//! Extracts written from the records and read back, and extracts that cannot be read.

use chrono::NaiveDate;
use domain::Model;
use domain::calendar::Calendar;
use domain::codes::{ConferenceKind, VisitKind};
use ssd::Extract;
use ssd::export::{WRITTEN, export};
use std::path::Path;

/// Years of the synthetic council to 31 March 2025, each event given to `each`, and the council's own
/// settings (who it is, its population and its targets): what a council sets up in Hearth
/// before it imports anything.
fn synthetic_council(years: u32, mut each: impl FnMut(domain::Event)) -> Model {
    let opts = synth::Options {
        seed: 11,
        years,
        end: NaiveDate::from_ymd_opt(2025, 3, 31).unwrap(),
        scale: 1,
    };
    let mut settings = Model::new();
    synth::generate(
        &opts,
        Calendar::england_and_wales(),
        |e| {
            if matches!(
                e.body.kind(),
                "council_described" | "population_estimated" | "measure_target_set"
            ) {
                settings.apply(&e).expect("the settings fold");
            }
            each(e)
        },
        |_, _| {},
    );
    settings
}

/// The synthetic council, folded, and its settings.
fn council_and_settings() -> (Model, Model) {
    let mut model = Model::new();
    let settings = synthetic_council(1, |e| model.apply(&e).expect("the council folds"));
    (model, settings)
}

fn council() -> Model {
    council_and_settings().0
}

#[test]
fn an_extract_written_from_the_records_reads_back_whole() {
    let model = council();
    let tables = export(&model);
    let dir = tempfile::tempdir().unwrap();
    tables.write_dir(dir.path()).unwrap();
    let extract = Extract::read_dir(dir.path()).unwrap_or_else(|problems| {
        panic!(
            "{}",
            problems
                .iter()
                .take(10)
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    assert!(extract.notes.is_empty(), "{:?}", extract.notes);
    // Every table Hearth writes is there, headed as the dataset defines it.
    for name in WRITTEN {
        let rows = extract.table(name).unwrap_or_else(|| panic!("{name}"));
        let header = std::fs::read_to_string(dir.path().join(format!("{name}.csv"))).unwrap();
        let header = header.lines().next().unwrap().to_string();
        // The dataset's columns in its order, then Hearth's own.
        let defined: Vec<&str> = rows
            .table
            .fields
            .iter()
            .map(|f| f.name.as_str())
            .chain(ssd::export::own_columns(name).iter().copied())
            .collect();
        assert_eq!(header, defined.join(","), "{name}");
    }
    // A row for each record.
    let count = |f: fn(&domain::model::Child) -> usize| -> usize {
        model.children.values().map(|c| f(c)).sum()
    };
    let rows = |name: &str| extract.table(name).map_or(0, |t| t.len());
    assert_eq!(rows("ssd_person"), model.children.len());
    assert_eq!(rows("ssd_contacts"), count(|c| c.contacts.len()));
    assert_eq!(rows("ssd_cin_episodes"), count(|c| c.referrals.len()));
    assert_eq!(rows("ssd_cin_assessments"), count(|c| c.assessments.len()));
    assert_eq!(rows("ssd_involvements"), count(|c| c.allocations.len()));
    assert_eq!(
        rows("ssd_early_help_episodes"),
        count(|c| c.early_help.len())
    );
    assert_eq!(rows("ssd_professionals"), model.workers.len());
    assert_eq!(rows("ssd_department"), model.teams.len());
    assert_eq!(rows("ssd_s47_enquiry"), count(|c| c.enquiries.len()));
    assert_eq!(rows("ssd_cp_plans"), count(|c| c.cp_plans.len()));
    assert_eq!(
        rows("ssd_cp_reviews"),
        count(|c| c.cp_plans.iter().map(|p| p.reviews.len()).sum())
    );
    assert_eq!(rows("ssd_cin_plans"), count(|c| c.cin_plans.len()));
    assert_eq!(
        rows("ssd_pre_proceedings"),
        count(|c| c.pre_proceedings.len())
    );
    let episodes = count(|c| c.care_periods.iter().map(|p| p.episodes.len()).sum());
    assert_eq!(rows("ssd_cla_episodes"), episodes);
    assert_eq!(rows("ssd_cla_placement"), episodes);
    assert_eq!(rows("ssd_cla_reviews"), count(|c| c.cla_reviews.len()));
    assert_eq!(rows("ssd_cla_health"), count(|c| c.health_checks.len()));
    assert_eq!(rows("ssd_missing"), count(|c| c.missing.len()));
    let visits = rows("ssd_cp_visits") + rows("ssd_cin_visits") + rows("ssd_cla_visits");
    assert!(visits > 0 && visits <= count(|c| c.visits.len()));
    // A legal status row for each run of episodes with the same status, at least one a period.
    let periods = count(|c| c.care_periods.len());
    assert!(rows("ssd_legal_status") >= periods && rows("ssd_legal_status") <= episodes);
    assert!(rows("ssd_contacts") > 1_000 && rows("ssd_assessment_factors") > 100);
    assert!(rows("ssd_cp_plans") > 50 && rows("ssd_cla_episodes") > 50 && rows("ssd_missing") > 50);
    // The values read back as written.
    let people = extract.table("ssd_person").unwrap();
    let first = model.children.values().next().unwrap();
    let row = people
        .iter()
        .find(|r| r.get("pers_person_id") == Some(first.details.la_child_id.as_str()))
        .unwrap();
    assert_eq!(row.date("pers_dob").unwrap(), first.details.date_of_birth);
    let contacts = extract.table("ssd_contacts").unwrap();
    let (child, contact) = model
        .children
        .values()
        .find_map(|c| c.contacts.first().map(|k| (c, k)))
        .unwrap();
    let row = contacts
        .iter()
        .find(|r| {
            r.get("cont_contact_id")
                == Some(format!("{}-{}", child.details.la_child_id, contact.id.0).as_str())
        })
        .unwrap();
    assert_eq!(
        row.date_time("cont_contact_date").unwrap(),
        Some(contact.received)
    );
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

#[test]
fn an_extract_as_sql_server_writes_it_is_read_and_its_faults_are_named() {
    let dir = tempfile::tempdir().unwrap();
    // A byte-order mark, NULLs, SQL Server's datetimes, columns of the header in any case and
    // order, a column the dataset does not define, and files that are not tables.
    write(
        dir.path(),
        "ssd_person.csv",
        "\u{feff}PERS_PERSON_ID,pers_dob,pers_sex,local_flag\n\
         1001,2015-06-01 00:00:00.000,F,x\n\
         1002,NULL,M,y\n",
    );
    write(
        dir.path(),
        "ssd_contacts.csv",
        "cont_contact_id,cont_person_id,cont_contact_date,cont_contact_source_code\n\
         C1,1001,2024-03-31T09:15:00,1A\n\
         C2,1002,31/03/2024 10:00,NULL\n",
    );
    write(dir.path(), "notes.txt", "not a table");
    write(dir.path(), "ssd_local_extra.csv", "a,b\n1,2\n");
    let extract = Extract::read_dir(dir.path()).unwrap();
    let people = extract.table("ssd_person").unwrap();
    let rows: Vec<_> = people.iter().collect();
    assert_eq!(
        rows[0].date("pers_dob").unwrap(),
        NaiveDate::from_ymd_opt(2015, 6, 1)
    );
    assert_eq!(rows[1].get("pers_dob"), None, "NULL is nothing");
    assert!(rows[0].carries("pers_sex") && !rows[0].carries("pers_ethnicity"));
    let contacts: Vec<_> = extract.table("ssd_contacts").unwrap().iter().collect();
    assert_eq!(
        contacts[1]
            .date_time("cont_contact_date")
            .unwrap()
            .unwrap()
            .to_string(),
        "2024-03-31 10:00:00"
    );
    assert_eq!(extract.notes.len(), 2, "{:?}", extract.notes);
    assert!(extract.notes.iter().any(|n| n.contains("local_flag")));
    assert!(
        extract
            .notes
            .iter()
            .any(|n| n.contains("ssd_local_extra.csv"))
    );

    // Faults: a bad date, a person no table knows, a key twice, a blank key, a bad flag.
    write(
        dir.path(),
        "ssd_contacts.csv",
        "cont_contact_id,cont_person_id,cont_contact_date\n\
         C1,1001,2024-02-30\n\
         C2,9999,2024-03-01\n\
         C1,1002,2024-03-02\n\
         ,1002,2024-03-03\n",
    );
    write(
        dir.path(),
        "ssd_cin_episodes.csv",
        "cine_referral_id,cine_person_id,cine_referral_nfa\nR1,1001,maybe\n",
    );
    let problems: Vec<String> = Extract::read_dir(dir.path())
        .unwrap_err()
        .iter()
        .map(|p| p.to_string())
        .collect();
    let expected = [
        "ssd_cin_episodes.csv, row 2, cine_referral_nfa: `maybe` is not Y or N",
        "ssd_contacts.csv, row 2, cont_contact_date: `2024-02-30` is not a date: write it as 2024-03-31 (a time may follow)",
        "ssd_contacts.csv, row 4, cont_contact_id: `C1` is a second row with the key of row 2",
        "ssd_contacts.csv, row 5, cont_contact_id: is blank: every row needs its key",
        "ssd_contacts.csv, row 3, cont_person_id: `9999` is in no row of ssd_person.csv",
    ];
    for e in expected {
        assert!(
            problems.iter().any(|p| p == e),
            "missing: {e}\nin {problems:#?}"
        );
    }
    assert_eq!(problems.len(), expected.len(), "{problems:#?}");

    // A table without its key column, and an empty folder, are refused in words.
    write(dir.path(), "ssd_cin_episodes.csv", "cine_person_id\n1001\n");
    let problems = Extract::read_dir(dir.path()).unwrap_err();
    assert!(
        problems.iter().any(|p| p.to_string()
            == "ssd_cin_episodes.csv: has no cine_referral_id column, the table's key"),
        "{problems:?}"
    );
    let empty = tempfile::tempdir().unwrap();
    let problems = Extract::read_dir(empty.path()).unwrap_err();
    assert!(problems[0].message.contains("holds no table"));
}

/// A record's dates in a comparable form: every child's referrals, assessments, allocations,
/// contacts and early help, by council identifier.
fn histories(model: &Model) -> std::collections::BTreeMap<String, Vec<String>> {
    model
        .children
        .values()
        .map(|c| {
            let mut lines = Vec::new();
            for k in &c.contacts {
                lines.push(format!(
                    "contact {} {} {:?} {:?}",
                    k.received, k.source, k.rag, k.decision
                ));
            }
            for e in &c.early_help {
                lines.push(format!("early help {} {:?}", e.start, e.end));
            }
            for r in &c.referrals {
                lines.push(format!(
                    "referral {} {} {:?} {:?} {}",
                    r.date, r.source, r.primary_need, r.closed, r.nfa
                ));
            }
            for a in &c.assessments {
                lines.push(format!(
                    "assessment {} {:?} {:?}",
                    a.start, a.authorised, a.factors
                ));
            }
            for a in &c.allocations {
                let w = &model.workers[&a.worker];
                lines.push(format!(
                    "allocated {} {:?} {} {:?}",
                    a.from, a.to, w.name, a.reason
                ));
            }
            for e in &c.enquiries {
                lines.push(format!("s47 {} {:?}", e.start, e.completed));
            }
            for k in c
                .conferences
                .iter()
                .filter(|k| k.kind != ConferenceKind::Review)
            {
                lines.push(format!(
                    "conference {} {:?} {}",
                    k.date, k.kind, k.plan_needed
                ));
            }
            for p in &c.cp_plans {
                lines.push(format!(
                    "cp plan {} {:?} {:?} {:?} {:?}",
                    p.start, p.end, p.initial_category, p.category, p.reviews
                ));
            }
            for p in &c.cin_plans {
                lines.push(format!("cin plan {} {:?}", p.start, p.end));
            }
            for v in c.visits.iter().filter(|v| {
                matches!(
                    v.kind,
                    VisitKind::ChildProtection | VisitKind::ChildInNeed | VisitKind::LookedAfter
                )
            }) {
                lines.push(format!(
                    "visit {:?} {} {} {}",
                    v.kind, v.date, v.seen, v.seen_alone
                ));
            }
            for p in &c.pre_proceedings {
                lines.push(format!("pre-proceedings {} {:?}", p.start, p.end));
            }
            for p in &c.care_periods {
                for e in &p.episodes {
                    let pl = &e.placement;
                    lines.push(format!(
                        "episode {} {} {} {} {} {:?} {:?} {:?}",
                        e.start,
                        e.reason,
                        e.legal_status,
                        pl.place,
                        pl.provider,
                        pl.urn,
                        pl.postcode,
                        e.need
                    ));
                }
                lines.push(format!("care {} {:?}", p.start, p.end));
            }
            for r in &c.cla_reviews {
                lines.push(format!("cla review {} {:?}", r.date, r.participation));
            }
            for h in &c.health_checks {
                lines.push(format!("health {h:?}"));
            }
            for p in &c.permanence_plans {
                lines.push(format!("permanence plan {p:?}"));
            }
            for p in &c.permanence_steps {
                lines.push(format!("permanence step {p:?}"));
            }
            for k in &c.care_leaver_contacts {
                lines.push(format!("care leaver {k:?}"));
            }
            for m in &c.missing {
                lines.push(format!(
                    "missing {:?} {} {:?} {:?} {:?}",
                    m.kind, m.start, m.end, m.interview_offered, m.interview_held
                ));
            }
            let d = &c.details;
            lines.push(format!(
                "{} {} {:?} {:?} {} {:?} {:?}",
                d.given_name,
                d.family_name,
                d.date_of_birth,
                d.sex,
                d.ethnicity,
                d.disabilities,
                d.family
            ));
            // The order records were made in is not something the dataset carries.
            lines.sort();
            (d.la_child_id.clone(), lines)
        })
        .collect()
}

#[test]
fn an_extract_imported_into_an_empty_council_gives_back_the_records_it_carries() {
    let original = council();
    let dir = tempfile::tempdir().unwrap();
    export(&original).write_dir(dir.path()).unwrap();
    let extract = Extract::read_dir(dir.path()).unwrap();
    let at = chrono::DateTime::from_timestamp(1_750_000_000, 0).unwrap();
    let imported = ssd::import::import(&Model::new(), &extract, "import", at).unwrap_or_else(|p| {
        panic!(
            "{}",
            p.iter()
                .take(10)
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    assert_eq!(imported.children, original.children.len());
    assert_eq!(imported.workers, original.workers.len());
    let mut model = Model::new();
    for e in &imported.events {
        model.apply(e).unwrap();
    }
    let (a, b) = (histories(&original), histories(&model));
    assert_eq!(a.len(), b.len());
    let differ: Vec<_> = a
        .iter()
        .filter(|(id, lines)| b.get(*id) != Some(lines))
        .take(3)
        .map(|(id, lines)| format!("{id}:\n  was {lines:?}\n  now {:?}", b.get(id)))
        .collect();
    assert!(differ.is_empty(), "{}", differ.join("\n"));

    // Importing the same extract again adds nothing: every person and row is as before.
    let again = ssd::import::import(&model, &extract, "import", at)
        .unwrap_or_else(|p| panic!("{:?}", &p[..p.len().min(3)]));
    assert!(again.events.is_empty(), "{:?}", again.events.first());
    assert_eq!(
        (again.children, again.unchanged),
        (0, original.children.len())
    );
    assert!(
        again
            .by_table
            .values()
            .all(|t| t.new + t.changed + t.gone == 0)
    );
    assert_eq!(
        again.by_table["ssd_contacts"].same,
        extract.table("ssd_contacts").unwrap().len()
    );
}

/// Every measure's figure for the council, month by month over the year, as text.
fn figures(model: &Model, today: NaiveDate) -> std::collections::BTreeMap<String, String> {
    let cal = Calendar::england_and_wales();
    let ix = kpi::Index::new(model);
    let src = kpi::report::Source {
        model,
        cal,
        ix: &ix,
        today,
    };
    let periods = kpi::Period::last_whole_month_before(today).trend(12);
    let all: Vec<&'static kpi::Measure> = kpi::catalogue().iter().collect();
    kpi::report::scorecard(&src, &all, &periods)
        .into_iter()
        .filter(|r| r.scope == kpi::Scope::Council)
        .map(|r| {
            (
                format!("{} {}", r.id, r.period),
                format!(
                    "{:?} {:?} {:?} {:?}",
                    r.numerator, r.denominator, r.value, r.no_value
                ),
            )
        })
        .collect()
}

#[test]
fn every_measure_the_extract_carries_is_the_same_every_month_after_an_import() {
    let (original, settings) = council_and_settings();
    let dir = tempfile::tempdir().unwrap();
    export(&original).write_dir(dir.path()).unwrap();
    let extract = Extract::read_dir(dir.path()).unwrap();
    let at = chrono::DateTime::from_timestamp(1_750_000_000, 0).unwrap();
    let imported = ssd::import::import(&settings, &extract, "import", at).unwrap();
    let mut model = settings;
    for e in &imported.events {
        model.apply(e).unwrap();
    }
    let today = NaiveDate::from_ymd_opt(2025, 3, 31).unwrap();
    let (a, b) = (figures(&original, today), figures(&model, today));
    // Every figure is the same, except those of measures that need what the extract does not
    // carry, which say so and show no number.
    let missing = ssd::import::not_carried(&extract);
    let unavailable: Vec<&str> = kpi::catalogue()
        .iter()
        .filter(|m| m.needs.iter().any(|f| missing.contains(f)))
        .map(|m| m.id.as_str())
        .collect();
    let mut compared = 0;
    for (k, v) in &a {
        let id = k.split(' ').next().unwrap();
        let now = &b[k];
        if unavailable.contains(&id) {
            assert_eq!(
                now,
                &format!("None None None {:?}", Some(kpi::engine::NOT_AVAILABLE)),
                "{k}"
            );
        } else {
            assert_eq!(now, v, "{k}");
            compared += 1;
        }
    }
    assert_eq!(compared, a.len() - unavailable.len() * 12);
    // Hearth's own export carries the contact decisions and return interviews.
    assert!(!missing.contains(&domain::codes::Fact::ContactDecisions));
    assert_eq!(kpi::catalogue().len() - unavailable.len(), 73);
}

/// A hand-made extract as another case system writes one: its own ids, no Hearth columns, a
/// family's members sharing a family id, and a senior social worker by job title.
fn write_hand_made(dir: &Path) {
    write(
        dir,
        "ssd_person.csv",
        "pers_person_id,pers_forename,pers_surname,pers_sex,pers_ethnicity,pers_dob\n\
         P1,Amy,Stone,F,WBRI,2012-04-01 00:00:00.000\n\
         P2,Ben,Stone,M,WBRI,2014-09-30 00:00:00.000\n",
    );
    write(
        dir,
        "ssd_family.csv",
        "fami_table_id,fami_family_id,fami_person_id\nF1,77,P1\nF2,77,P2\n",
    );
    write(
        dir,
        "ssd_department.csv",
        "dept_team_id,dept_team_name,dept_team_parent_id,dept_team_parent_name\n\
         T9,Assessment Team North,,Children's Services\n",
    );
    write(
        dir,
        "ssd_professionals.csv",
        "prof_professional_id,prof_professional_name,prof_professional_job_title,prof_professional_department,prof_social_worker_registration_no\n\
         W1,Sam Patel,Senior Social Worker,Assessment Team North,SW123456\n",
    );
    write(
        dir,
        "ssd_contacts.csv",
        "cont_contact_id,cont_person_id,cont_contact_date,cont_contact_source_code\n\
         C10,P1,2024-05-01 09:30:00.000,1A\n",
    );
    write(
        dir,
        "ssd_cin_episodes.csv",
        "cine_referral_id,cine_person_id,cine_referral_date,cine_cin_primary_need_code,cine_referral_source_code\n\
         R10,P1,2024-05-02,N1,1A\n",
    );
    write(
        dir,
        "ssd_cin_assessments.csv",
        "cina_assessment_id,cina_person_id,cina_referral_id,cina_assessment_start_date,cina_assessment_auth_date\n\
         A10,P1,R10,2024-05-03,2024-06-10\n",
    );
    write(
        dir,
        "ssd_involvements.csv",
        "invo_involvements_id,invo_professional_id,invo_professional_team,invo_involvement_start_date,invo_person_id\n\
         I1,W1,T9,2024-05-02,P1\n",
    );
}

/// The hand-made extract is taken whole, or refused whole for an unknown code or an event the
/// case model does not allow.
#[test]
fn a_hand_made_extract_from_another_system_is_taken_or_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    write_hand_made(dir.path());
    let at = chrono::DateTime::from_timestamp(1_750_000_000, 0).unwrap();
    let extract = Extract::read_dir(dir.path()).unwrap();
    let imported = ssd::import::import(&Model::new(), &extract, "import", at).unwrap();
    assert_eq!(
        (imported.children, imported.workers, imported.teams),
        (2, 1, 1)
    );
    let mut model = Model::new();
    for e in &imported.events {
        model.apply(e).unwrap();
    }
    let amy = model
        .children
        .values()
        .find(|c| c.details.la_child_id == "P1")
        .unwrap();
    let ben = model
        .children
        .values()
        .find(|c| c.details.la_child_id == "P2")
        .unwrap();
    assert_eq!(
        amy.details.family, ben.details.family,
        "siblings share a family"
    );
    // Without Hearth's own columns, contact decisions are not carried: FD-01 says so.
    assert!(
        model
            .council
            .not_carried
            .contains(&domain::codes::Fact::ContactDecisions)
    );
    let fd01 = kpi::catalogue::measure("FD-01").unwrap();
    let f = kpi::engine::figure(
        &model,
        fd01,
        kpi::Period::Month {
            year: 2024,
            month: 5,
        },
        true,
        &Default::default(),
    );
    assert_eq!(
        (f.value, f.no_value),
        (None, Some(kpi::engine::NOT_AVAILABLE))
    );
    assert_eq!(amy.referrals.len(), 1);
    assert_eq!(
        amy.assessments[0].authorised,
        NaiveDate::from_ymd_opt(2024, 6, 10)
    );
    let worker = &model.workers[&amy.allocations[0].worker];
    assert_eq!(worker.name, "Sam Patel");
    assert_eq!(worker.registration.as_deref(), Some("SW123456"));
    assert_eq!(
        worker.current().role,
        domain::codes::WorkerRole::SeniorPractitioner
    );
    assert_eq!(
        model.teams[&amy.allocations[0].team].name,
        "Assessment Team North"
    );

    // An unknown code is refused by file, row and field, and nothing is to be written.
    write(
        dir.path(),
        "ssd_cin_episodes.csv",
        "cine_referral_id,cine_person_id,cine_referral_date,cine_cin_primary_need_code\n\
         R10,P1,2024-05-02,N11\n",
    );
    let extract = Extract::read_dir(dir.path()).unwrap();
    let problems = ssd::import::import(&Model::new(), &extract, "import", at).unwrap_err();
    assert_eq!(
        problems[0].to_string(),
        "ssd_cin_episodes.csv, row 2, cine_cin_primary_need_code: `N11` is not a primary need code (N0 to N9)"
    );
    // An assessment before its referral is refused by the model, by file and row.
    write(
        dir.path(),
        "ssd_cin_episodes.csv",
        "cine_referral_id,cine_person_id,cine_referral_date\nR10,P1,2024-05-20\n",
    );
    let extract = Extract::read_dir(dir.path()).unwrap();
    let problems = ssd::import::import(&Model::new(), &extract, "import", at).unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0]
            .to_string()
            .starts_with("ssd_cin_assessments.csv, row 2, assessment_started: person P1:"),
        "{}",
        problems[0]
    );
}

/// The child with the source's id `id`.
fn child<'m>(model: &'m Model, id: &str) -> &'m domain::model::Child {
    model
        .children
        .values()
        .find(|c| c.details.la_child_id == id)
        .unwrap_or_else(|| panic!("{id} is in the model"))
}

/// The events an import writes for the child with the source's id `id`, by kind.
fn kinds_for(model: &Model, events: &[domain::Event], id: &str) -> Vec<&'static str> {
    let stream = domain::StreamId::Child(child(model, id).id());
    events
        .iter()
        .filter(|e| e.stream == stream)
        .map(|e| e.body.kind())
        .collect()
}

/// What an import makes of a child's history, without its record numbers.
fn history(c: &domain::model::Child) -> String {
    let contacts: Vec<_> = c
        .contacts
        .iter()
        .map(|x| (x.received, x.source.clone()))
        .collect();
    let referrals: Vec<_> = c.referrals.iter().map(|x| x.date).collect();
    let assessments: Vec<_> = c
        .assessments
        .iter()
        .map(|x| (x.start, x.authorised))
        .collect();
    let allocations: Vec<_> = c
        .allocations
        .iter()
        .map(|x| (x.worker, x.from, x.to))
        .collect();
    format!(
        "{:?} {contacts:?} {referrals:?} {assessments:?} {allocations:?}",
        c.details
    )
}

/// Councils extract nightly. A second extract adds a person, adds a row to one child (whose
/// record only gains it), changes one row and drops another of a second child (whose record is
/// rebuilt, the dropped record withdrawn); a third leaves a person out. Each import says what
/// changed, table by table, and gives the records a fresh import of the same extract gives.
#[test]
fn tomorrows_extract_adds_corrects_and_withdraws() {
    let dir = tempfile::tempdir().unwrap();
    write_hand_made(dir.path());
    let at = chrono::DateTime::from_timestamp(1_750_000_000, 0).unwrap();
    let extract = Extract::read_dir(dir.path()).unwrap();
    let mut model = Model::new();
    for e in ssd::import::import(&model, &extract, "import", at)
        .unwrap()
        .events
    {
        model.apply(&e).unwrap();
    }
    let amy_assessment = child(&model, "P1").assessments[0].id;

    // The next day: Cara is new; Ben has a new contact; Amy's contact's source was corrected
    // and her assessment deleted in the case system. Sam is now a team manager, and Jo joins.
    write(
        dir.path(),
        "ssd_professionals.csv",
        "prof_professional_id,prof_professional_name,prof_professional_job_title,prof_professional_department,prof_social_worker_registration_no\n\
         W1,Sam Patel,Team Manager,Assessment Team North,SW123456\n\
         W2,Jo Reed,Social Worker,Assessment Team North,SW654321\n",
    );
    let mut people = std::fs::read_to_string(dir.path().join("ssd_person.csv")).unwrap();
    people.push_str("P3,Cara,Stone,F,WBRI,2016-01-15\n");
    write(dir.path(), "ssd_person.csv", &people);
    write(
        dir.path(),
        "ssd_contacts.csv",
        "cont_contact_id,cont_person_id,cont_contact_date,cont_contact_source_code\n\
         C10,P1,2024-05-01 09:30:00.000,2B\n\
         C11,P2,2024-07-01 10:00:00.000,5A\n\
         C12,P3,2024-07-02 11:00:00.000,1A\n",
    );
    write(
        dir.path(),
        "ssd_cin_assessments.csv",
        "cina_assessment_id,cina_person_id,cina_referral_id,cina_assessment_start_date,cina_assessment_auth_date\n",
    );
    let extract = Extract::read_dir(dir.path()).unwrap();
    let next = ssd::import::import(&model, &extract, "import", at).unwrap();
    assert_eq!(
        (next.children, next.changed, next.withdrawn, next.unchanged),
        (1, 2, 0, 0)
    );
    assert_eq!(
        next.whom(),
        "1 new people, 2 changed, 0 withdrawn and 0 as before; 1 new workers in 0 new teams, 1 workers changed"
    );
    let lines = next.tables(&extract);
    for expected in [
        "ssd_person: 3 rows: 1 new, 2 as before",
        "ssd_contacts: 3 rows: 2 new, 1 changed, 0 as before",
        "ssd_cin_assessments: 0 rows: 0 new, 1 gone, 0 as before",
        "ssd_cin_episodes: 1 rows: 0 new, 1 as before",
        "ssd_professionals: 2 rows: 1 new, 1 changed, 0 as before",
        "ssd_department: 1 rows: 0 new, 1 as before",
    ] {
        assert!(
            lines.iter().any(|l| l == expected),
            "{expected} in {lines:#?}"
        );
    }
    // Ben's record only gains his new contact.
    assert_eq!(
        kinds_for(&model, &next.events, "P2"),
        ["contact_received", "source_rows_recorded"]
    );
    // Amy's is rebuilt from the corrected rows, after her assessment is withdrawn.
    let amy = kinds_for(&model, &next.events, "P1");
    assert_eq!(
        amy[..2],
        ["record_entered_in_error", "source_rows_corrected"]
    );
    assert!(amy.contains(&"contact_received") && !amy.contains(&"assessment_started"));
    let corrected = next
        .events
        .iter()
        .find_map(|e| match &e.body {
            domain::EventBody::SourceRowsCorrected(c) => Some(c.changes.clone()),
            _ => None,
        })
        .unwrap();
    let said: Vec<String> = corrected
        .iter()
        .map(|c| format!("{} {} {}", c.table, c.key, c.change.label()))
        .collect();
    assert_eq!(
        said,
        ["ssd_cin_assessments A10 gone", "ssd_contacts C10 changed"]
    );
    for e in &next.events {
        model.apply(e).unwrap();
    }
    let amy = child(&model, "P1");
    assert_eq!(amy.contacts[0].source.as_str(), "2B");
    assert!(amy.assessments.is_empty());
    assert_eq!(amy.withdrawn.len(), 1);
    assert_eq!(amy.withdrawn[0].record, amy_assessment);
    assert!(
        amy.withdrawn[0]
            .reason
            .starts_with("ssd_cin_assessments A10 is not in the extract of"),
        "{}",
        amy.withdrawn[0].reason
    );
    assert_eq!(
        amy.referrals.len(),
        1,
        "the rest of Amy's record is rebuilt"
    );
    assert_eq!(amy.allocations.len(), 1);
    assert_eq!(child(&model, "P2").contacts.len(), 1);
    let sam = &model.workers[&amy.allocations[0].worker];
    assert_eq!(
        (sam.terms.len(), sam.current().role),
        (2, domain::codes::WorkerRole::TeamManager),
        "Sam's new role is a change from the extract's day"
    );

    // What the changes made is what a fresh import of the same extract makes.
    let mut fresh = Model::new();
    for e in ssd::import::import(&fresh, &extract, "import", at)
        .unwrap()
        .events
    {
        fresh.apply(&e).unwrap();
    }
    for id in ["P1", "P2", "P3"] {
        assert_eq!(
            history(child(&model, id)),
            history(child(&fresh, id)),
            "{id}"
        );
    }
    // And taking the same extract again changes nothing.
    let again = ssd::import::import(&model, &extract, "import", at).unwrap();
    assert!(again.events.is_empty(), "{:?}", again.events.first());
    assert_eq!(again.unchanged, 3);

    // Cara is left out of the next extract: her contact is withdrawn, and she stays, with
    // nothing from the source. Jo is left out too: she has left.
    write(
        dir.path(),
        "ssd_professionals.csv",
        "prof_professional_id,prof_professional_name,prof_professional_job_title,prof_professional_department,prof_social_worker_registration_no\n\
         W1,Sam Patel,Team Manager,Assessment Team North,SW123456\n",
    );
    let without: String = people
        .lines()
        .filter(|l| !l.starts_with("P3,"))
        .map(|l| format!("{l}\n"))
        .collect();
    write(dir.path(), "ssd_person.csv", &without);
    write(
        dir.path(),
        "ssd_contacts.csv",
        "cont_contact_id,cont_person_id,cont_contact_date,cont_contact_source_code\n\
         C10,P1,2024-05-01 09:30:00.000,2B\n\
         C11,P2,2024-07-01 10:00:00.000,5A\n",
    );
    let extract = Extract::read_dir(dir.path()).unwrap();
    let later = ssd::import::import(&model, &extract, "import", at).unwrap();
    assert_eq!(
        (
            later.children,
            later.changed,
            later.withdrawn,
            later.unchanged
        ),
        (0, 0, 1, 2)
    );
    assert_eq!(
        kinds_for(&model, &later.events, "P3"),
        [
            "record_entered_in_error",
            "source_rows_corrected",
            "source_rows_recorded"
        ]
    );
    let lines = later.tables(&extract);
    for expected in [
        "ssd_contacts: 2 rows: 0 new, 1 gone, 2 as before",
        "ssd_professionals: 1 rows: 0 new, 1 gone, 1 as before",
    ] {
        assert!(
            lines.iter().any(|l| l == expected),
            "{expected} in {lines:#?}"
        );
    }
    assert_eq!(later.staff_left, 1);
    for e in &later.events {
        model.apply(e).unwrap();
    }
    let cara = child(&model, "P3");
    assert!(cara.contacts.is_empty());
    let jo = model
        .workers
        .values()
        .find(|w| w.name == "Jo Reed")
        .unwrap();
    assert_eq!(jo.left, Some(at.date_naive()));
    assert_eq!(cara.withdrawn.len(), 1);
    assert!(
        ssd::import::import(&model, &extract, "import", at)
            .unwrap()
            .events
            .is_empty()
    );
}

/// The synthetic council's extract a month before the year's end, then at its end, taken one
/// over the other as a council's nightly extracts are: every measure, every month, is what a
/// fresh import of the later extract gives.
#[test]
fn a_months_changes_taken_over_an_earlier_extract_give_what_a_fresh_import_gives() {
    let cut = NaiveDate::from_ymd_opt(2025, 2, 28).unwrap();
    let (mut earlier, mut later) = (Model::new(), Model::new());
    // A stream's events after the cut are left out of the earlier model, and so are any after
    // one left out, so that each stream is as it stood.
    let mut stopped = std::collections::HashSet::new();
    let settings = synthetic_council(1, |e| {
        if e.recorded_at.date_naive() > cut || stopped.contains(&e.stream) {
            stopped.insert(e.stream);
        } else {
            earlier.apply(&e).expect("the earlier council folds");
        }
        later.apply(&e).expect("the council folds")
    });
    let at = chrono::DateTime::from_timestamp(1_750_000_000, 0).unwrap();
    let read = |model: &Model| {
        let dir = tempfile::tempdir().unwrap();
        export(model).write_dir(dir.path()).unwrap();
        Extract::read_dir(dir.path()).unwrap()
    };
    let (first, second) = (read(&earlier), read(&later));
    let mut nightly = settings.clone();
    for e in ssd::import::import(&nightly, &first, "import", at)
        .unwrap()
        .events
    {
        nightly.apply(&e).unwrap();
    }
    let over = ssd::import::import(&nightly, &second, "import", at).unwrap_or_else(|p| {
        panic!(
            "{}",
            p.iter()
                .take(5)
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join("\n")
        )
    });
    // A month brings new people, adds to some records, corrects others, and leaves most as
    // they were.
    let corrected = over
        .events
        .iter()
        .filter(|e| e.body.kind() == "source_rows_corrected")
        .count();
    assert!(over.children > 0 && over.changed > corrected && corrected > 0);
    assert!(over.unchanged > over.changed, "{}", over.whom());
    for e in &over.events {
        nightly.apply(e).unwrap();
    }
    let mut fresh = settings;
    for e in ssd::import::import(&fresh, &second, "import", at)
        .unwrap()
        .events
    {
        fresh.apply(&e).unwrap();
    }
    let today = NaiveDate::from_ymd_opt(2025, 3, 31).unwrap();
    let (a, b) = (figures(&fresh, today), figures(&nightly, today));
    let differ: Vec<String> = a
        .iter()
        .filter(|(k, v)| b.get(*k) != Some(v))
        .take(5)
        .map(|(k, v)| format!("{k}: fresh {v}, nightly {:?}", b.get(k)))
        .collect();
    assert!(differ.is_empty(), "{}", differ.join("\n"));
    for c in fresh.children.values() {
        let id = &c.details.la_child_id;
        assert_eq!(history(c), history(child(&nightly, id)), "{id}");
    }
}

/// The statutory returns for 2024/25, written from three years of the synthetic council's records
/// and from an import of their extract: the CIN census is the same, and so is every table of the
/// SSDA903.
#[test]
fn the_returns_from_an_imported_extract_are_those_from_the_records() {
    let mut original = Model::new();
    let settings = synthetic_council(3, |e| original.apply(&e).expect("the council folds"));
    let dir = tempfile::tempdir().unwrap();
    export(&original).write_dir(dir.path()).unwrap();
    let extract = Extract::read_dir(dir.path()).unwrap();
    let at = chrono::DateTime::from_timestamp(1_750_000_000, 0).unwrap();
    let mut imported = settings;
    for e in ssd::import::import(&imported, &extract, "import", at)
        .unwrap()
        .events
    {
        imported.apply(&e).unwrap();
    }
    let (original, imported) = (&original, &imported);
    let year = returns::cin::CinYear::parse("2024/25").unwrap();
    let census = |m: &Model| {
        let mut xml = Vec::new();
        returns::cin::export::write_xml(
            &returns::cin::export::census(m, year, &original.council.la_code),
            &mut xml,
        )
        .unwrap();
        String::from_utf8(xml)
            .unwrap()
            .lines()
            .filter(|l| !l.trim_start().starts_with("<DateTime>"))
            .map(|l| format!("{l}\n"))
            .collect::<String>()
    };
    let (a, b) = (census(original), census(imported));
    assert!(a.len() > 100_000, "the census has its children");
    if a != b {
        let differ: Vec<(&str, &str)> = a
            .lines()
            .zip(b.lines())
            .filter(|(x, y)| x != y)
            .take(5)
            .collect();
        panic!("the CIN census differs: {differ:#?}");
    }
    let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    for (m, dir) in [original, imported].into_iter().zip(&dirs) {
        returns::ssda903::export::write_dir(&returns::ssda903::export::tables(m, 2024), dir.path())
            .unwrap();
    }
    let mut compared = Vec::new();
    for entry in std::fs::read_dir(dirs[0].path()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        let read = |d: &tempfile::TempDir| std::fs::read_to_string(d.path().join(&name)).unwrap();
        let (x, y) = (read(&dirs[0]), read(&dirs[1]));
        let differ: Vec<(&str, &str)> = x
            .lines()
            .zip(y.lines())
            .filter(|(p, q)| p != q)
            .take(3)
            .collect();
        assert!(x == y, "SSDA903 {name} differs: {differ:#?}");
        if [
            "header.csv",
            "episodes.csv",
            "ad1.csv",
            "uasc.csv",
            "oc2.csv",
        ]
        .contains(&name.as_str())
        {
            assert!(x.lines().count() > 1, "{name} has rows to compare");
        }
        compared.push(name);
    }
    assert_eq!(compared.len(), 11, "{compared:?}");
}
