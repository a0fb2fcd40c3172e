/* mkcpio: pack files into a "newc" CPIO archive, the format Cairn's root tasks carry their
 * process images in (lib/cpio reads it).
 *
 *   mkcpio OUTPUT [NAME=]FILE...
 *
 * Each FILE becomes one member, named NAME or else the FILE's base name. The archive is
 * reproducible: owner 0, time 0, inode = member number. With no FILE it holds only the
 * trailer (an empty archive). Built with the host compiler by mk/user.mk. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static FILE *out;
static unsigned long offset;
static const char *out_path;

static void die(const char *fmt, const char *arg)
{
    fprintf(stderr, "mkcpio: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n");
    if (out) {
        fclose(out);
        remove(out_path);
    }
    exit(1);
}

static void put(const void *buf, size_t len)
{
    if (len && fwrite(buf, 1, len, out) != len)
        die("cannot write %s", out_path);
    offset += len;
}

static void pad4(void)
{
    static const char zeros[4];
    put(zeros, (4 - offset % 4) % 4);
}

static void header(unsigned ino, unsigned mode, unsigned long size, const char *name)
{
    char h[128];
    size_t namesize = strlen(name) + 1;
    if (namesize > 4096)
        die("member name too long: %s", name);
    /* magic, ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor,
     * rdevmajor, rdevminor, namesize, check */
    int n = snprintf(h, sizeof(h), "070701%08X%08X%08X%08X%08X%08X%08lX%08X%08X%08X%08X%08X%08X",
                     ino, mode, 0u, 0u, 1u, 0u, size, 0u, 0u, 0u, 0u, (unsigned)namesize, 0u);
    if (n != 110)
        die("internal error: header of %s", name);
    put(h, 110);
    put(name, namesize);
    pad4();
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: mkcpio OUTPUT [NAME=]FILE...\n");
        return 2;
    }
    const char **names = calloc(argc, sizeof(*names));
    if (!names)
        die("out of memory%s", "");
    out_path = argv[1];
    out = fopen(out_path, "wb");
    if (!out)
        die("cannot create %s", out_path);
    for (int i = 2; i < argc; i++) {
        char *arg = argv[i], *path = arg, *name;
        char *eq = strchr(arg, '=');
        if (eq) {
            *eq = '\0';
            name = arg;
            path = eq + 1;
        } else {
            name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
        }
        if (!*name || strcmp(name, "TRAILER!!!") == 0)
            die("bad member name \"%s\"", name);
        for (int j = 0; j < i - 2; j++)
            if (strcmp(names[j], name) == 0)
                die("two members named \"%s\"", name);
        names[i - 2] = name;
        struct stat st;
        FILE *in = fopen(path, "rb");
        if (!in || fstat(fileno(in), &st) != 0 || !S_ISREG(st.st_mode))
            die("cannot read %s (a regular file)", path);
        if ((unsigned long long)st.st_size > 0xffffffffull)
            die("%s is too big for a newc archive (4 GiB)", path);
        header(i - 1, 0100000 | (st.st_mode & 0777), (unsigned long)st.st_size, name);
        char buf[65536];
        size_t n, total = 0;
        while ((n = fread(buf, 1, sizeof(buf), in)) > 0) {
            put(buf, n);
            total += n;
        }
        if (ferror(in) || total != (size_t)st.st_size)
            die("error reading %s", path);
        fclose(in);
        pad4();
    }
    header(0, 0, 0, "TRAILER!!!");
    if (fclose(out) != 0) {
        out = NULL;
        die("cannot write %s", out_path);
    }
    return 0;
}
