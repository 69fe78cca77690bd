package dev.dhcpcluster.core.dhcp;

/**
 * Option codes of RFC 2132 and its successors that the server reads or writes by name. Any other
 * code is still carried as an opaque value; these constants only name the ones code refers to.
 */
public final class OptionCode {

    public static final int PAD = 0;
    public static final int SUBNET_MASK = 1;
    public static final int TIME_OFFSET = 2;
    public static final int ROUTERS = 3;
    public static final int DOMAIN_NAME_SERVERS = 6;
    public static final int HOST_NAME = 12;
    public static final int DOMAIN_NAME = 15;
    public static final int INTERFACE_MTU = 26;
    public static final int BROADCAST_ADDRESS = 28;
    public static final int NTP_SERVERS = 42;
    public static final int VENDOR_SPECIFIC = 43;
    public static final int REQUESTED_ADDRESS = 50;
    public static final int LEASE_TIME = 51;
    public static final int OVERLOAD = 52;
    public static final int MESSAGE_TYPE = 53;
    public static final int SERVER_IDENTIFIER = 54;
    public static final int PARAMETER_REQUEST_LIST = 55;
    public static final int MESSAGE = 56;
    public static final int MAX_MESSAGE_SIZE = 57;
    public static final int RENEWAL_TIME = 58;
    public static final int REBINDING_TIME = 59;
    public static final int VENDOR_CLASS_IDENTIFIER = 60;
    public static final int CLIENT_IDENTIFIER = 61;
    public static final int CLIENT_FQDN = 81;
    public static final int RELAY_AGENT_INFORMATION = 82;
    public static final int SUBNET_SELECTION = 118;
    public static final int DOMAIN_SEARCH = 119;
    public static final int CLASSLESS_STATIC_ROUTE = 121;
    public static final int END = 255;

    private OptionCode() {
    }
}
