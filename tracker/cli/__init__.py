"""The command-line interface: thin commands over services and reports."""

from tracker.cli import (
    backup,
    db,
    demo,
    designation,
    entity,
    exports,
    imports,
    report,
    response,
    sanction,
    screening,
    search,
    seed,
    serve,
    source,
    sync,
    watch,
)
from tracker.cli.app import app

app.add_typer(entity.app, name="entity")
app.command("designate")(designation.designate)
designation.app.command("add")(designation.designate)
app.add_typer(designation.app, name="designation")
app.add_typer(sanction.app, name="sanction")
app.add_typer(response.app, name="response")
app.add_typer(source.source_app, name="source")
app.add_typer(source.authority_app, name="authority")
app.add_typer(imports.app, name="import")
app.add_typer(sync.app, name="sync")
app.add_typer(exports.app, name="export")
app.add_typer(report.app, name="report")
app.add_typer(db.app, name="db")
app.command("seed")(seed.seed)
app.command("demo")(demo.demo)
app.command("search")(search.search)
screening.app.command("file")(search.screen)
app.add_typer(screening.app, name="screen")
app.command("decide")(screening.decide)
app.command("rescreen")(screening.rescreen)
db.app.command("reindex")(search.reindex)
app.command("dump")(backup.dump)
app.command("restore")(backup.restore)
app.command("serve")(serve.serve)
app.add_typer(watch.watch_app, name="watch")
app.add_typer(watch.alerts_app, name="alerts")


def main() -> None:
    app()
