//! Builders the migrations share, so that each migration states only what is
//! its own: its tables and columns, and the names of its keys and indexes.
//!
//! These migrations have run on production databases, so what they build must
//! never change. Every helper here builds exactly the statement the migrations
//! used to spell out in full, and takes every name from its caller rather than
//! deriving one: a constraint or an index is found by its name in the code.

use sea_orm_migration::prelude::*;

/// Creates `table`, then `indexes` on it, one after the other in the order
/// given.
pub async fn create_table(
    manager: &SchemaManager<'_>,
    table: TableCreateStatement,
    indexes: impl IntoIterator<Item = IndexCreateStatement>,
) -> Result<(), DbErr> {
    let name = table
        .get_table_name()
        .cloned()
        .ok_or_else(|| DbErr::Migration("a table to create needs a name".to_owned()))?;
    manager.create_table(table).await?;
    for mut index in indexes {
        manager
            .create_index(index.table(name.clone()).to_owned())
            .await?;
    }
    Ok(())
}

/// The foreign key `name` from a column of the table being created (`from`:
/// the table and the column) to the column it refers to (`to`), doing
/// `on_delete` to a row when the row it refers to is deleted.
pub fn foreign_key(
    name: &str,
    (from_table, from_column): (impl IntoTableRef, impl IntoIden),
    (to_table, to_column): (impl IntoTableRef, impl IntoIden),
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from_table, from_column)
        .to(to_table, to_column)
        .on_delete(on_delete)
        .to_owned()
}

/// A [`foreign_key`] whose rows are deleted with the row they refer to.
pub fn cascading_foreign_key(
    name: &str,
    from: (impl IntoTableRef, impl IntoIden),
    to: (impl IntoTableRef, impl IntoIden),
) -> ForeignKeyCreateStatement {
    foreign_key(name, from, to, ForeignKeyAction::Cascade)
}

/// The index `name` over `columns`, in that order: on the table that
/// [`create_table`] creates it with, or, handed to
/// `TableCreateStatement::primary_key`, the table's primary key.
pub fn index(
    name: &str,
    columns: impl IntoIterator<Item = impl IntoIndexColumn>,
) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name);
    for column in columns {
        index.col(column);
    }
    index
}

/// An [`index`] that holds every combination of its columns' values once.
pub fn unique_index(
    name: &str,
    columns: impl IntoIterator<Item = impl IntoIndexColumn>,
) -> IndexCreateStatement {
    index(name, columns).unique().to_owned()
}

/// An [`index`] that holds only the rows meeting `condition`.
pub fn partial_index(
    name: &str,
    columns: impl IntoIterator<Item = impl IntoIndexColumn>,
    condition: Expr,
) -> IndexCreateStatement {
    index(name, columns).and_where(condition).to_owned()
}

/// Adds `column` to the existing `table`.
pub async fn add_column(
    manager: &SchemaManager<'_>,
    table: impl IntoTableRef,
    column: impl IntoColumnDef,
) -> Result<(), DbErr> {
    manager
        .alter_table(Table::alter().table(table).add_column(column).to_owned())
        .await
}

/// Drops `tables`, one after the other in the order given: list a table
/// before the tables it refers to.
pub async fn drop_tables(
    manager: &SchemaManager<'_>,
    tables: impl IntoIterator<Item = DynIden>,
) -> Result<(), DbErr> {
    for table in tables {
        manager
            .drop_table(Table::drop().table(table).to_owned())
            .await?;
    }
    Ok(())
}

/// Drops `column` from `table`: what `down()` does for an [`add_column`].
pub async fn drop_column(
    manager: &SchemaManager<'_>,
    table: impl IntoTableRef,
    column: impl IntoIden,
) -> Result<(), DbErr> {
    manager
        .alter_table(Table::alter().table(table).drop_column(column).to_owned())
        .await
}
