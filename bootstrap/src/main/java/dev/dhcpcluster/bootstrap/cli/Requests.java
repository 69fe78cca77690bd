package dev.dhcpcluster.bootstrap.cli;

import dev.dhcpcluster.bootstrap.admin.AdminClient;

/** Runs one request to a node's admin endpoint, turning "no answer" into a one-line failure. */
final class Requests {

    private Requests() {
    }

    /** One request. */
    interface Request {
        AdminClient.Response send() throws AdminClient.NodeUnreachable, InterruptedException;
    }

    static AdminClient.Response send(Request request) throws CommandFailure {
        try {
            return request.send();
        } catch (AdminClient.NodeUnreachable e) {
            throw new CommandFailure(DhcpclusterCommand.FAILED, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailure(DhcpclusterCommand.FAILED, "interrupted");
        }
    }
}
