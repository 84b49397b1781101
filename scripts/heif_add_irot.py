#!/usr/bin/env python3
# Adds an irot box (anticlockwise quarter turns), or a colr box of type nclx
# (primaries, transfer, matrix, full range), to the primary item of a HEIF
# file (HEIC or AVIF), fixing box sizes and iloc offsets: makes the rotated
# and colour-tagged test files of engine/imageio/testdata.
# Usage: heif_add_irot.py IN OUT TURNS | heif_add_irot.py IN OUT nclx:P,T,M,F
import struct,sys
src,dst,what=sys.argv[1],sys.argv[2],sys.argv[3]
d=open(src,'rb').read()
def boxes(b):
    i=0;out=[]
    while i+8<=len(b):
        n,t=struct.unpack('>I4s',b[i:i+8]);out.append((t.decode(),b[i+8:i+n]));i+=n
    return out
def box(t,p): return struct.pack('>I4s',8+len(p),t.encode())+p
if what.startswith('nclx:'):
    pr,tc,mc,fr=(int(v) for v in what[5:].split(','))
    prop=box('colr',b'nclx'+struct.pack('>HHHB',pr,tc,mc,fr<<7))
else:
    prop=box('irot',bytes([int(what)]))
top=boxes(d)
out=[];delta=len(prop)+1  # the property + one ipma byte
for t,p in top:
    if t!='meta': out.append((t,p));continue
    hdr=p[:4];kids=boxes(p[4:]);nk=[]
    prim=[struct.unpack('>H',kp[4:6])[0] for kt,kp in kids if kt=='pitm'][0]
    for kt,kp in kids:
        if kt=='iprp':
            sub=[]
            for st,sp in boxes(kp):
                if st=='ipco':
                    nprops=len(boxes(sp))
                    sp=sp+prop
                elif st=='ipma':
                    ver,fl=sp[0],sp[3]
                    assert ver==0 and fl&1==0
                    n=struct.unpack('>I',sp[4:8])[0];i=8;b=bytearray(sp[:8])
                    for _ in range(n):
                        item=struct.unpack('>H',sp[i:i+2])[0];c=sp[i+2];a=sp[i+3:i+3+c];i+=3+c
                        if item==prim: b+=struct.pack('>HB',item,c+1)+a+bytes([nprops+1])
                        else: b+=struct.pack('>HB',item,c)+a
                    sp=bytes(b)
                sub.append(box(st,sp))
            kp=b''.join(sub)
        nk.append((kt,kp))
    # patch iloc after sizes known
    fin=[]
    for kt,kp in nk:
        if kt=='iloc':
            ver=kp[0];b=bytearray(kp);i=4
            os_,ls=b[i]>>4,b[i]&15;bs,xs=b[i+1]>>4,b[i+1]&15;i+=2
            cnt=struct.unpack('>H',b[i:i+2])[0];i+=2
            for _ in range(cnt):
                i+=2;cm=0
                if ver in(1,2): cm=struct.unpack('>H',b[i:i+2])[0]&15;i+=2
                i+=2
                base=int.from_bytes(b[i:i+bs],'big');bpos=i;i+=bs
                ec=struct.unpack('>H',b[i:i+2])[0];i+=2
                for _ in range(ec):
                    if ver in(1,2) and xs: i+=xs
                    if cm==0 and base==0:
                        o=int.from_bytes(b[i:i+os_],'big');b[i:i+os_]=(o+delta).to_bytes(os_,'big')
                    i+=os_+ls
                if cm==0 and base: b[bpos:bpos+bs]=(base+delta).to_bytes(bs,'big')
            kp=bytes(b)
        fin.append(box(kt,kp))
    out.append(('meta',hdr+b''.join(fin)))
open(dst,'wb').write(b''.join(box(t,p) for t,p in out))
