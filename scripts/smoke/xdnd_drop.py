#!/usr/bin/env python3
"""Drop files onto an X11 window the way a file manager does (XDND).

    xdnd_drop.py WINDOW_ID FILE...

Acts as an XDND drag source: owns the XdndSelection, sends XdndEnter,
XdndPosition and (once the target accepts) XdndDrop with a text/uri-list,
answers the target's SelectionRequest with the file URIs, and waits for
XdndFinished. Exits 0 when the target finished the drop, 1 otherwise.
Needs python3-xlib.
"""
import os
import sys
import time
import urllib.parse

from Xlib import X, Xatom, display, protocol
from Xlib.error import XError

TIMEOUT = 10.0


def log(msg):
    print("xdnd: " + msg, file=sys.stderr, flush=True)


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    target_id = int(sys.argv[1], 0)
    files = [os.path.abspath(f) for f in sys.argv[2:]]
    uri_list = "".join("file://" + urllib.parse.quote(f) + "\r\n" for f in files).encode()

    d = display.Display()
    root = d.screen().root
    atom = lambda name: d.intern_atom(name)
    XdndAware, XdndSelection = atom("XdndAware"), atom("XdndSelection")
    XdndEnter, XdndPosition, XdndStatus = atom("XdndEnter"), atom("XdndPosition"), atom("XdndStatus")
    XdndDrop, XdndFinished, XdndLeave = atom("XdndDrop"), atom("XdndFinished"), atom("XdndLeave")
    XdndActionCopy, XdndTypeList = atom("XdndActionCopy"), atom("XdndTypeList")
    uri_type = atom("text/uri-list")

    target = d.create_resource_object("window", target_id)
    aware = target.get_full_property(XdndAware, Xatom.ATOM)
    if not aware:
        log("window 0x%x is not XdndAware" % target_id)
        return 1
    version = min(5, aware.value[0])

    # An unmapped window of our own is the drag source and selection owner.
    source = root.create_window(0, 0, 1, 1, 0, X.CopyFromParent, event_mask=X.PropertyChangeMask)
    source.change_property(XdndTypeList, Xatom.ATOM, 32, [uri_type])
    source.set_selection_owner(XdndSelection, X.CurrentTime)
    d.flush()
    if d.get_selection_owner(XdndSelection) != source:
        log("could not own XdndSelection")
        return 1

    geo = target.get_geometry()
    pos = target.translate_coords(root, 0, 0)
    # translate_coords(root, 0, 0) gives root's origin in the target's
    # coordinates: negate it for the target's origin on the root window.
    x = -pos.x + geo.width // 2
    y = -pos.y + geo.height // 2

    def send(msg_type, data):
        ev = protocol.event.ClientMessage(window=target, client_type=msg_type, data=(32, data))
        target.send_event(ev, event_mask=0)
        d.flush()

    send(XdndEnter, [source.id, version << 24, uri_type, 0, 0])
    send(XdndPosition, [source.id, 0, (x << 16) | y, X.CurrentTime, XdndActionCopy])
    log("entered 0x%x at %d,%d (XDND v%d)" % (target_id, x, y, version))

    dropped = False
    deadline = time.time() + TIMEOUT
    while time.time() < deadline:
        if not d.pending_events():
            time.sleep(0.01)
            continue
        ev = d.next_event()
        if ev.type == X.ClientMessage and ev.client_type == XdndStatus:
            accepted = ev.data[1][1] & 1
            log("status: %s" % ("accepted" if accepted else "refused"))
            if not accepted:
                send(XdndLeave, [source.id, 0, 0, 0, 0])
                return 1
            if not dropped:
                dropped = True
                send(XdndDrop, [source.id, 0, X.CurrentTime, 0, 0])
        elif ev.type == X.SelectionRequest:
            req = ev
            prop = req.property or req.target
            if req.target == uri_type:
                req.requestor.change_property(prop, uri_type, 8, uri_list)
                log("sent %d URI(s)" % len(files))
            elif req.target == atom("TARGETS"):
                req.requestor.change_property(prop, Xatom.ATOM, 32, [uri_type])
            else:
                prop = X.NONE
            notify = protocol.event.SelectionNotify(
                time=req.time, requestor=req.requestor, selection=req.selection,
                target=req.target, property=prop)
            req.requestor.send_event(notify, event_mask=0)
            d.flush()
        elif ev.type == X.ClientMessage and ev.client_type == XdndFinished:
            log("finished")
            return 0
    log("timed out waiting for the target")
    return 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except XError as e:
        log("X error: %s" % e)
        sys.exit(1)
