use steward_core::audit::Actor;
use steward_core::list::{GoodsRow, ListKind, NewEdition};
use steward_store::{testing, Imported};

fn row(n: usize, good: &str, country: &str, forced: bool) -> GoodsRow {
    GoodsRow {
        row: n,
        good: good.into(),
        sector: "Agriculture".into(),
        country: country.into(),
        country_name: country.into(),
        child_labor: !forced,
        forced_labor: forced,
        forced_child_labor: false,
        derived: false,
        derived_input_country: None,
    }
}

fn edition(checksum: &str, published: Option<time::Date>) -> NewEdition {
    NewEdition {
        list_name: "tvpra".into(),
        kind: ListKind::Tvpra,
        source: "test.csv".into(),
        published,
        checksum: checksum.into(),
    }
}

#[tokio::test]
async fn editions_are_stored_whole_once_and_the_newest_is_in_force() {
    for db in testing::fresh().await {
        let s = &db.store;
        let rows_2020 = vec![row(2, "Cotton", "UZ", true), row(3, "Açaí Berries", "BR", false)];
        let first = s
            .import_goods_edition(&Actor::cli(), edition("aaa", Some(time::macros::date!(2020 - 09 - 30))), &rows_2020)
            .await
            .unwrap();
        let Imported::New(e2020) = first else { panic!("first import is new on {}", db.backend) };
        let again = s.import_goods_edition(&Actor::cli(), edition("aaa", None), &rows_2020).await.unwrap();
        assert_eq!(again, Imported::AlreadyPresent(e2020.clone()), "same file, no new edition on {}", db.backend);
        let rows_2022 = vec![row(2, "Cotton", "CN", true)];
        let Imported::New(e2022) = s
            .import_goods_edition(&Actor::cli(), edition("bbb", Some(time::macros::date!(2022 - 09 - 28))), &rows_2022)
            .await
            .unwrap()
        else {
            panic!("second import is new")
        };
        let in_force = s.editions_in_force().await.unwrap();
        assert_eq!(in_force.iter().map(|e| e.id).collect::<Vec<_>>(), [e2022.id], "{}", db.backend);
        assert_eq!(s.editions().await.unwrap().len(), 2);
        assert_eq!(s.edition_goods(e2020.id).await.unwrap(), rows_2020, "rows round-trip on {}", db.backend);
        assert_eq!(s.edition(e2022.id).await.unwrap().label(), "tvpra@2022-09-28");
        let audit = s.audit_page(None, 10).await.unwrap();
        assert_eq!(audit.entries.iter().filter(|e| e.action == "import").count(), 2, "one audit entry per edition");
        assert!(s.verify_audit().await.unwrap().broken.is_none());
        db.drop_db().await;
    }
}

#[tokio::test]
async fn entity_lists_round_trip_and_undated_editions_come_into_force() {
    use steward_core::list::{EntitySchema, ListEntity};
    use steward_store::EditionRows;
    for db in testing::fresh().await {
        let s = &db.store;
        // Stored entities are numbered by their place in the edition (one source line may name
        // several), so this one, the first, comes back as row 1.
        let entity = ListEntity {
            row: 1,
            key: "n-hoshan".into(),
            schema: EntitySchema::Company,
            name: "Hoshan Polysilicon Industry Co. Ltd.".into(),
            aliases: vec!["Hoshan Silicon".into(), "霍山多晶硅".into()],
            countries: vec!["CN".into()],
            identifiers: vec![],
            notes: "test".into(),
        };
        let dated = NewEdition {
            list_name: "mine".into(),
            kind: ListKind::Csv,
            source: "a.csv".into(),
            published: Some(time::macros::date!(2001 - 01 - 01)),
            checksum: "c1".into(),
        };
        s.import_edition(&Actor::cli(), dated, EditionRows::Entities(std::slice::from_ref(&entity))).await.unwrap();
        let undated = NewEdition {
            list_name: "mine".into(),
            kind: ListKind::Csv,
            source: "b.csv".into(),
            published: None,
            checksum: "c2".into(),
        };
        let Imported::New(latest) = s
            .import_edition(&Actor::cli(), undated, EditionRows::Entities(std::slice::from_ref(&entity)))
            .await
            .unwrap()
        else {
            panic!("new")
        };
        let in_force = s.editions_in_force().await.unwrap();
        assert_eq!(in_force[0].id, latest.id, "the undated edition imported today is in force on {}", db.backend);
        assert_eq!(s.edition_entities(latest.id).await.unwrap(), std::slice::from_ref(&entity), "{}", db.backend);
        db.drop_db().await;
    }
}
