#!/usr/bin/env python3
"""mkdict.py — writes the libFuzzer dictionaries tests/fuzz/NAME.dict from the
repository's data files, source and docs/openapi.json: the keys and short
values of each JSON format, the CSV column names, the routes and header
names. Run it again when a format gains a key; the .dict files are committed."""
import json, re, sys, os
R=os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
def esc(s):
    out=''
    for b in s.encode():
        c=chr(b)
        if c in '"\\': out+='\\'+c
        elif 32<=b<127: out+=c
        else: out+='\\x%02X'%b
    return '"'+out+'"'
def write(name, toks, comment):
    toks=sorted(set(t for t in toks if t and len(t.encode())<=64))
    with open(R+'/tests/fuzz/%s.dict'%name,'w') as f:
        f.write('# %s\n'%comment)
        for t in toks: f.write(esc(t)+'\n')
def keys(o, acc):
    if isinstance(o,dict):
        for k,v in o.items(): acc.add('"%s":'%k); keys(v,acc)
    elif isinstance(o,list):
        for v in o: keys(v,acc)
    elif isinstance(o,str) and len(o)<=24: acc.add('"%s"'%o)
    return acc
js=['{','}','[',']','null','true','false','1e308','-0','0.5','"\\u0000"','"\\ud800"']
for name,files in [('round_file',['data/rounds/2024.json','tests/data/rounds/2031.json']),
                   ('catalogue_file',['data/catalogue/china_2025.json']),
                   ('questionnaire_file',['data/questionnaire/questionnaire.json']),
                   ('rating_file',['data/rating/model.json'])]:
    acc=set(js)
    for f in files: keys(json.load(open(R+'/'+f)),acc)
    write(name, acc, 'the keys and short values of %s, and JSON tokens (made from the data files)'%', '.join(files))
acc=set(js)|{'"bundle--','"vulnerability--','"software--','"relationship--','"indicator--','"sighting--','"has"','"cve"','"cnvd"','"cnnvd"','"2.1"','cpe:2.3:a:','CVE-2024-','CNVD-2024-','CNNVD-202401-','T00:00:00Z','.000Z'}
for f in ['tests/fuzz/corpus/stix_feed/bundle','tests/fuzz/corpus/stix_feed/kev']: keys(json.loads(open(R+'/'+f).read()[1:]),acc)
write('stix_feed', acc, 'STIX 2.1 and KEV keys and values (from the corpus), identifiers, and JSON tokens')
src=open(R+'/src/data/exposure.c').read()
cols=re.findall(r'"([A-Za-z_0-9]+)"', src[src.index('fixed_cols'):src.index('typedef struct {\n    int fixed')])
covs=['phys','bi','data','hw','ir','pr','legal','breach','netsec','media','vendor','product','eo']
write('exposure_csv', cols+['SubLimit_'+c for c in covs]+['Share_'+c for c in covs]+covs+['NPBI','DIAS','INRE','LIA','ENO','CYB','GBT4754','GB/T 4754-2017','CNY','CN','440300','1,234.56','\xa5','\uffe5','\r\n','""',';','|'],
      'the exposure CSV columns (src/data/exposure.c), coverage codes and value forms')
write('bulk_quote', ['id','industry','revenue','grade','limit','retention','gross_margin','\r\n','""','# ','1,234.56','\xa5','\uffe5','65','C'],
      'the bulk-quote CSV columns (app_uw_quote_bulk) and value forms')
write('scan_findings', ['asset','port','service','cve','cvss','epss','kev','internet_facing','first_seen','{"findings":[','{"csv":"','"replace":true','CVE-2024-3400','true','false','yes','\u662f','\u5426','2024-05-10T08:00:00Z','\r\n'],
      'the findings columns (src/app/uw/assessment.c) and value forms')
api=json.load(open(R+'/docs/openapi.json'))
paths=list(api['paths'].keys())
write('json_body', ['POST ','GET ','PATCH ','DELETE ','PUT ']+paths+['"name":','"note":','"count":','"flag":','"items":','"detail":','"uscc":','"text":']+js,
      'methods, the routes of docs/openapi.json, the harness spec fields, JSON tokens')
write('http_request', ['GET ','POST ','PATCH ','DELETE ','HEAD ','OPTIONS ',' HTTP/1.1\r\n',' HTTP/1.0\r\n','\r\n','Host: ','Cookie: ','cyberins_session=','Authorization: Bearer ','cyt_','X-CSRF-Token: ','X-Test-Now: ','X-Forwarded-For: ','Content-Type: application/json','Expect: 100-continue','Range: bytes=','If-None-Match: ','Accept-Encoding: ','?limit=','&cursor=','?level=','&parent=','?section=','%2e%2e/','%00','..','2024-09-30T23:59:59+08:00']+paths,
      'request-line pieces, header names, the routes of docs/openapi.json')
