// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - rdpprn-bridge: options, signals and the listener.
 *
 * A reference RDP server on libfreerdp-server3 that shows a blank desktop
 * and relays the rdpdr channel of every connection to rdpprnd, so that
 * real RDP clients can be tested against rdpprn without xrdp
 * (Documentation/freerdp-bridge.rst).
 */
#include <errno.h>
#include <getopt.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <pwd.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

/*
 * Before FreeRDP's headers: winpr/nt.h defines the same STATUS_ names as
 * rdpdr_proto.h, and a system header may redefine them quietly.
 */
#include "rdpprn_log.h"
#include "bridge.h"

#include <freerdp/freerdp.h>
#include <freerdp/listener.h>
#include <freerdp/channels/channels.h>
#include <freerdp/crypto/certificate.h>
#include <freerdp/crypto/privatekey.h>
#include <winpr/ssl.h>
#include <winpr/synch.h>
#include <winpr/winsock.h>
#include <winpr/wtsapi.h>

#define BRIDGE_NOBODY		65534
#define BRIDGE_MAX_CONNS	64

struct bridge_opts bridge_opts = {
	.addr = "127.0.0.1",
	.port = 3389,
	.max_conns = BRIDGE_MAX_CONNS,
};

static unsigned int bridge_conns;
/* large, and needed once */
static WSADATA bridge_wsa;

static const char bridge_usage[] =
"usage: rdpprn-bridge --cert FILE --key FILE (--rdpprnd PATH | --exec CMD)\n"
"                     [OPTIONS]\n"
"\n"
"A small RDP server (FreeRDP) with a blank desktop that relays the rdpdr\n"
"channel of each connection to rdpprnd: the client's printers become\n"
"/dev/rdpprnN. TLS only (no NLA), no logon.\n"
"\n"
"  -a, --listen ADDR      address to listen on (default 127.0.0.1)\n"
"  -p, --port N           TCP port (default 3389; 0: any free port)\n"
"  -C, --cert FILE        server certificate, PEM\n"
"  -K, --key FILE         its private key, PEM\n"
"  -r, --rdpprnd PATH     connect to rdpprnd --listen on the Unix socket\n"
"                         PATH, one connection per RDP connection\n"
"  -e, --exec CMD         run CMD (e.g. 'rdpprnd --stdio') per connection,\n"
"                         with a socketpair as its stdin and stdout\n"
"  -u, --uid N            owner of the device nodes (default: nobody)\n"
"  -g, --gid N            their group (default: nobody's group)\n"
"  -m, --max-conns N      connections served at once (default 64)\n"
"  -1, --once             serve one connection, then exit\n"
"  -t, --trace DIR        write every relayed PDU to DIR/c<conn>-<seq>-\n"
"                         <in|out>.hex (input of rdpdr-dump)\n"
"  -v, --verbose          log debug lines too\n"
"  -h, --help             this text\n"
"\n"
"Log lines on stderr: \"listening on ADDR:PORT\", \"connection N: client\n"
"\"HOST\" ...\", \"connection N: rdpdr open\", \"connection N: rdpprnd\n"
"session S\", \"connection N: ended: REASON (pdus in X out Y)\".\n"
"SIGTERM/SIGINT end every connection and exit 0.\n";

static const struct option bridge_longopts[] = {
	{ "listen", required_argument, NULL, 'a' },
	{ "port", required_argument, NULL, 'p' },
	{ "cert", required_argument, NULL, 'C' },
	{ "key", required_argument, NULL, 'K' },
	{ "rdpprnd", required_argument, NULL, 'r' },
	{ "exec", required_argument, NULL, 'e' },
	{ "uid", required_argument, NULL, 'u' },
	{ "gid", required_argument, NULL, 'g' },
	{ "max-conns", required_argument, NULL, 'm' },
	{ "once", no_argument, NULL, '1' },
	{ "trace", required_argument, NULL, 't' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static void __noreturn bridge_bad(const char *what, const char *arg)
{
	fprintf(stderr, "rdpprn-bridge: %s%s%s\n%s", what, arg ? ": " : "",
		arg ?: "", bridge_usage);
	exit(2);
}

static u32 bridge_num(const char *s, const char *what, u32 max)
{
	u32 v;

	if (rdpprn_parse_u32(s, &v) || v > max)
		bridge_bad(what, s);
	return v;
}

static void bridge_parse(int argc, char **argv)
{
	bool uid_set = false, gid_set = false;
	struct passwd *pw;
	int c;

	while ((c = getopt_long(argc, argv, "a:p:C:K:r:e:u:g:m:1t:vh",
				bridge_longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			bridge_opts.addr = optarg;
			break;
		case 'p':
			bridge_opts.port = bridge_num(optarg, "bad port",
						      65535);
			break;
		case 'C':
			bridge_opts.cert = optarg;
			break;
		case 'K':
			bridge_opts.key = optarg;
			break;
		case 'r':
			bridge_opts.rdpprnd = optarg;
			break;
		case 'e':
			bridge_opts.exec = optarg;
			break;
		case 'u':
			bridge_opts.uid = bridge_num(optarg, "bad uid",
						     0xfffffffe);
			uid_set = true;
			break;
		case 'g':
			bridge_opts.gid = bridge_num(optarg, "bad gid",
						     0xfffffffe);
			gid_set = true;
			break;
		case 'm':
			bridge_opts.max_conns = bridge_num(optarg,
							   "bad --max-conns",
							   4096);
			if (!bridge_opts.max_conns)
				bridge_bad("bad --max-conns", optarg);
			break;
		case '1':
			bridge_opts.once = true;
			break;
		case 't':
			bridge_opts.trace = optarg;
			break;
		case 'v':
			rdpprn_log_set_level(LOG_DEBUG);
			break;
		case 'h':
			fputs(bridge_usage, stdout);
			exit(0);
		default:
			bridge_bad("bad option", NULL);
		}
	}
	if (optind < argc)
		bridge_bad("unexpected argument", argv[optind]);
	if (!bridge_opts.cert || !bridge_opts.key)
		bridge_bad("--cert and --key are required", NULL);
	if (!bridge_opts.rdpprnd == !bridge_opts.exec)
		bridge_bad("give one of --rdpprnd PATH and --exec CMD", NULL);
	/*
	 * Without --uid the device nodes belong to nobody: only root can
	 * print to them, never the wrong user.
	 */
	pw = getpwnam("nobody");
	if (!uid_set)
		bridge_opts.uid = pw ? pw->pw_uid : BRIDGE_NOBODY;
	if (!gid_set)
		bridge_opts.gid = pw ? pw->pw_gid : BRIDGE_NOBODY;
}

/* Load the pair once at start, so that a bad file is an error now. */
static void bridge_check_tls(void)
{
	rdpCertificate *cert = freerdp_certificate_new_from_file(bridge_opts.cert);
	rdpPrivateKey *key = freerdp_key_new_from_file(bridge_opts.key);

	if (!cert)
		rdpprn_die(1, "cannot load the certificate %s", bridge_opts.cert);
	if (!key)
		rdpprn_die(1, "cannot load the private key %s", bridge_opts.key);
	freerdp_certificate_free(cert);
	freerdp_key_free(key);
}

/**
 * bridge_listen_socket() - the listening TCP socket
 * @addr: numeric address or host name
 * @port: port, 0 for any
 * @bound: the address and port it is bound to, for the log
 * @len: size of @bound
 *
 * The bridge makes the socket itself (close-on-exec, so --exec children
 * do not inherit it; and --port 0 can report the port it got) and hands
 * it to FreeRDP's listener.
 *
 * Return: the socket, or -errno.
 */
static int bridge_listen_socket(const char *addr, unsigned int port,
				char *bound, size_t len)
{
	struct addrinfo hints = {
		.ai_family = AF_UNSPEC,
		.ai_socktype = SOCK_STREAM,
		.ai_flags = AI_PASSIVE | AI_NUMERICSERV,
	};
	char pstr[16], host[INET6_ADDRSTRLEN + 8], serv[16];
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	struct addrinfo *ai;
	int fd, one = 1, ret;

	snprintf(pstr, sizeof(pstr), "%u", port);
	ret = getaddrinfo(addr, pstr, &hints, &ai);
	if (ret) {
		rdpprn_err("%s: %s", addr, gai_strerror(ret));
		return -EINVAL;
	}
	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		    ai->ai_protocol);
	if (fd < 0) {
		ret = -errno;
		goto out;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) || listen(fd, 16) ||
	    getsockname(fd, (struct sockaddr *)&ss, &sl)) {
		ret = -errno;
		close(fd);
		goto out;
	}
	ret = getnameinfo((struct sockaddr *)&ss, sl, host, sizeof(host),
			  serv, sizeof(serv), NI_NUMERICHOST | NI_NUMERICSERV);
	snprintf(bound, len, ss.ss_family == AF_INET6 ? "[%s]:%s" : "%s:%s",
		 ret ? "?" : host, ret ? "?" : serv);
	ret = fd;
out:
	freeaddrinfo(ai);
	return ret;
}

static BOOL bridge_accepted(freerdp_listener *l, freerdp_peer *client)
{
	unsigned int conn;

	if (bridge_peers_active() >= bridge_opts.max_conns) {
		rdpprn_notice("connection from %s refused: %u connections already",
			      client->hostname, bridge_opts.max_conns);
		return FALSE;
	}
	conn = ++bridge_conns;
	return bridge_peer_spawn(client, conn);
}

/* SIGTERM, SIGINT and SIGHUP arrive on a signalfd, in the main loop. */
static int bridge_signals(void)
{
	sigset_t set;

	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	/* before any thread exists: they all inherit the mask */
	if (pthread_sigmask(SIG_BLOCK, &set, NULL))
		return -errno;
	return signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
}

/**
 * bridge_serve() - accept connections until a signal or --once is done
 * @l: the open listener
 * @sfd: the signalfd
 *
 * Return: exit status.
 */
static int bridge_serve(freerdp_listener *l, int sfd)
{
	HANDLE h[MAXIMUM_WAIT_OBJECTS];
	struct signalfd_siginfo si;
	bool listening = true;
	HANDLE sev;
	DWORD n;

	sev = CreateFileDescriptorEventA(NULL, FALSE, FALSE, sfd,
					 WINPR_FD_READ);
	if (!sev)
		rdpprn_die(1, "no event handle for signals");
	for (;;) {
		n = 0;
		if (listening) {
			n = l->GetEventHandles(l, h, MAXIMUM_WAIT_OBJECTS - 1);
			if (!n) {
				rdpprn_err("the listener has no event handles");
				break;
			}
		}
		h[n++] = sev;
		if (WaitForMultipleObjects(n, h, FALSE, 500) == WAIT_FAILED) {
			rdpprn_err("wait failed");
			break;
		}
		if (read(sfd, &si, sizeof(si)) == sizeof(si)) {
			rdpprn_info("signal %u: stopping", si.ssi_signo);
			break;
		}
		if (listening && !l->CheckFileDescriptor(l)) {
			rdpprn_err("the listener failed");
			break;
		}
		if (listening && bridge_opts.once && bridge_conns) {
			rdpprn_info("--once: no more connections accepted");
			l->Close(l);
			listening = false;
		}
		if (!listening && !bridge_peers_active())
			break;
	}
	if (listening)
		l->Close(l);
	CloseHandle(sev);
	bridge_peers_stop();
	if (!bridge_peers_wait(10000)) {
		rdpprn_err("%u connection(s) did not end", bridge_peers_active());
		/*
		 * Their threads still use the listener and WinPR: tearing
		 * those down under them would crash instead of exiting.
		 */
		_exit(1);
	}
	return 0;
}

int main(int argc, char **argv)
{
	char bound[INET6_ADDRSTRLEN + 32];
	freerdp_listener *l;
	int fd, sfd, ret;

	rdpprn_log_init("rdpprn-bridge", RDPPRN_LOG_STDERR, LOG_INFO);
	bridge_parse(argc, argv);
	sfd = bridge_signals();
	if (sfd < 0)
		rdpprn_die(1, "signals: %s", strerror(-sfd));

	WTSRegisterWtsApiFunctionTable(FreeRDP_InitWtsApi());
	winpr_InitializeSSL(WINPR_SSL_INIT_DEFAULT);
	if (WSAStartup(MAKEWORD(2, 2), &bridge_wsa))
		rdpprn_die(1, "WSAStartup failed");
	bridge_check_tls();
	if (bridge_peers_init())
		rdpprn_die(1, "no stop event");

	fd = bridge_listen_socket(bridge_opts.addr, bridge_opts.port, bound,
				  sizeof(bound));
	if (fd < 0)
		rdpprn_die(1, "cannot listen on %s port %u: %s",
			   bridge_opts.addr, bridge_opts.port, strerror(-fd));
	l = freerdp_listener_new();
	if (!l)
		rdpprn_die(1, "no listener");
	l->PeerAccepted = bridge_accepted;
	if (!l->OpenFromSocket(l, fd))
		rdpprn_die(1, "the listener does not take its socket");
	rdpprn_info("listening on %s (uid %u gid %u, rdpprnd %s%s%s)", bound,
		    bridge_opts.uid, bridge_opts.gid,
		    bridge_opts.exec ? "exec " : "",
		    bridge_opts.exec ?: bridge_opts.rdpprnd,
		    bridge_opts.once ? ", once" : "");

	ret = bridge_serve(l, sfd);
	freerdp_listener_free(l);
	close(sfd);
	WSACleanup();
	rdpprn_info("exiting");
	return ret;
}
