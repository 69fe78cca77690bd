package dev.dhcpcluster.bootstrap.architecture.violations;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** Talks to a database itself. */
public final class UsesJdbc {

    Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url);
    }
}
