/*
 * The load generator of the server workloads, in C (see _client.ts, which
 * compiles it with `cc -O2` when a compiler is there and falls back to the
 * Node script otherwise). One epoll loop, non-blocking sockets, one write()
 * and one read() per request: a few microseconds of CPU per request, well
 * under what any server measured here spends.
 *
 * usage: client KIND PORT CLIENTS SIZE WARMUP SECONDS TICKS PID...
 *   KIND echo: CLIENTS persistent connections, one SIZE-byte request in
 *        flight on each; each reply must equal its request.
 *   KIND connect: CLIENTS concurrent loops of connect, one exchange, close.
 * Prints {"count":…,"bad":…,"seconds":…,"serverCpu":…,"clientCpu":…}.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct conn {
  int fd;
  int id;
  uint32_t seq;
  int have;
  int connecting;
  unsigned char msg[256];
  unsigned char reply[256];
};

static int size, port, connect_mode, npids, *pids, ticks;
static long count, bad;
static int counting;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static double own_cpu(void) {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_utime.tv_usec / 1e6 + u.ru_stime.tv_sec +
         u.ru_stime.tv_usec / 1e6;
}

static double server_cpu(void) {
  long total = 0;
  for (int i = 0; i < npids; i++) {
    char path[64], buf[2048];
    snprintf(path, sizeof path, "/proc/%d/stat", pids[i]);
    FILE *f = fopen(path, "r");
    if (!f) continue;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *p = strrchr(buf, ')');
    if (!p) continue;
    p += 2;
    /* after ") ": state is field 3; utime and stime are fields 14 and 15 */
    for (int field = 3; field < 14 && p; field++) p = strchr(p, ' ') + 1;
    long ut = 0, st = 0;
    sscanf(p, "%ld %ld", &ut, &st);
    total += ut + st;
  }
  return (double)total / ticks;
}

static void fill(struct conn *c) {
  memset(c->msg, 0, size);
  memcpy(c->msg, &c->seq, 4);
  memcpy(c->msg + 4, &c->id, 4);
  c->msg[size - 1] = (unsigned char)(c->seq * 7 + c->id);
}

static int ep;

static void open_conn(struct conn *c) {
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  if (c->fd < 0) { perror("socket"); exit(2); }
  int one = 1;
  setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  c->have = 0;
  c->connecting = 1;
  if (connect(c->fd, (struct sockaddr *)&a, sizeof a) < 0 && errno != EINPROGRESS) {
    perror("connect");
    exit(2);
  }
  struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
  epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ev);
}

static void send_msg(struct conn *c) {
  fill(c);
  if (write(c->fd, c->msg, size) != size) bad++;
}

/* Handles an event on c; returns 1 when c has just finished connecting. */
static int on_event(struct conn *c, uint32_t events) {
  if (c->connecting) {
    if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) return 0;
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err) { fprintf(stderr, "connect: %s\n", strerror(err)); exit(2); }
    c->connecting = 0;
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
    return 1;
  }
  ssize_t n = read(c->fd, c->reply + c->have, sizeof c->reply - c->have);
  if (n <= 0) {
    if (n < 0 && errno == EAGAIN) return 0;
    bad++;
    epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    if (connect_mode) { open_conn(c); }
    return 0;
  }
  c->have += n;
  if (c->have < size) return 0;
  if (c->have != size || memcmp(c->reply, c->msg, size) != 0) bad++;
  else if (counting) count++;
  c->have = 0;
  c->seq++;
  if (connect_mode) {
    epoll_ctl(ep, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    open_conn(c);
  } else {
    send_msg(c);
  }
  return 0;
}

static void run_until(double t) {
  struct epoll_event evs[256];
  while (now() < t) {
    int n = epoll_wait(ep, evs, 256, 10);
    for (int i = 0; i < n; i++) {
      struct conn *c = evs[i].data.ptr;
      if (on_event(c, evs[i].events) && connect_mode) send_msg(c);
    }
  }
}

int main(int argc, char **argv) {
  if (argc < 8) { fprintf(stderr, "usage: see the comment at the top\n"); return 2; }
  connect_mode = strcmp(argv[1], "connect") == 0;
  port = atoi(argv[2]);
  int clients = atoi(argv[3]);
  size = atoi(argv[4]);
  double warmup = atof(argv[5]), seconds = atof(argv[6]);
  ticks = atoi(argv[7]);
  npids = argc - 8;
  pids = malloc(sizeof(int) * (npids + 1));
  for (int i = 0; i < npids; i++) pids[i] = atoi(argv[8 + i]);
  if (size < 8 || size > 256) { fprintf(stderr, "size must be 8..256\n"); return 2; }
  ep = epoll_create1(0);
  struct conn *conns = calloc(clients, sizeof *conns);
  struct epoll_event evs[256];
  /* Connect in batches of 100, as the Node client does. */
  for (int i = 0; i < clients; i += 100) {
    int end = i + 100 < clients ? i + 100 : clients, pending = end - i;
    for (int j = i; j < end; j++) { conns[j].id = j; open_conn(&conns[j]); }
    double limit = now() + 10;
    while (pending > 0 && now() < limit) {
      int n = epoll_wait(ep, evs, 256, 100);
      for (int k = 0; k < n; k++) {
        struct conn *c = evs[k].data.ptr;
        if (c->connecting && on_event(c, evs[k].events)) {
          pending--;
          if (connect_mode) send_msg(c);
        }
      }
    }
    if (pending > 0) { fprintf(stderr, "connect: timed out\n"); return 2; }
  }
  if (!connect_mode)
    for (int i = 0; i < clients; i++) send_msg(&conns[i]);
  run_until(now() + warmup);
  counting = 1;
  double t0 = now(), s0 = server_cpu(), c0 = own_cpu();
  run_until(t0 + seconds);
  double s1 = server_cpu(), c1 = own_cpu(), t1 = now();
  counting = 0;
  for (int i = 0; i < clients; i++) close(conns[i].fd);
  printf("{\"count\":%ld,\"bad\":%ld,\"seconds\":%.6f,\"serverCpu\":%.4f,\"clientCpu\":%.4f}\n",
         count, bad, t1 - t0, s1 - s0, c1 - c0);
  return 0;
}
