package dev.dhcpcluster.bootstrap.architecture.violations;

import org.sqlite.SQLiteConfig;

/** Configures the SQLite driver itself, without a line of JDBC. */
public final class UsesSqlite {

    SQLiteConfig walConfig() {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        return config;
    }
}
