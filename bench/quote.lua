-- quote.lua — wrk script of bench/quote.sh: POST /api/v1/quotes with
-- realistic bodies, authenticated with an API token (env CYBERINS_TOKEN).
-- MODE=indicative (default): indicative prices of 1,000 generated
-- enterprises (section uniform A–T, revenue log-uniform ¥5M–¥10B, grade
-- A–E with .10 .25 .35 .20 .10, limit and retention among the product's
-- options), the same mix as bench/gen_quote.py; nothing is stored.
-- MODE=stored: stored quotes of the demo enterprise on its assessment
-- (each a transaction with its audit entry).
local token = os.getenv("CYBERINS_TOKEN")
local product = os.getenv("CYBERINS_PRODUCT")
local mode = os.getenv("CYBERINS_MODE") or "indicative"
local assessment = os.getenv("CYBERINS_ASSESSMENT") or "0"
local function split(s)
    local t = {}
    for x in string.gmatch(s, "[^,]+") do t[#t + 1] = x end
    return t
end
local limits = split(os.getenv("CYBERINS_LIMITS"))
local retentions = split(os.getenv("CYBERINS_RETENTIONS"))
local grades = { "A", "B", "C", "D", "E" }
local cum = { 0.10, 0.35, 0.70, 0.90, 1.00 }
math.randomseed(20250101)
local bodies = {}
for i = 1, 1000 do
    local u = math.random()
    local g = 5
    for k = 1, 5 do if u < cum[k] then g = k break end end
    local revenue = math.floor(math.exp(math.log(5e6) + (math.log(1e10) - math.log(5e6)) * math.random()) * 100)
    local section = string.char(64 + math.random(20))
    local limit = limits[math.random(#limits)]
    local retention = retentions[math.random(#retentions)]
    if mode == "stored" then
        bodies[i] = string.format('{"product_id":%s,"assessment_id":%s,"revenue":%d,"aggregate_limit":%s,"retention":%s}',
            product, assessment, revenue, limit, retention)
    else
        bodies[i] = string.format('{"indicative":true,"product_id":%s,"industry":"%s","revenue":%d,"grade":"%s","aggregate_limit":%s,"retention":%s}',
            product, section, revenue, grades[g], limit, retention)
    end
end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token
local i = 0
request = function()
    i = i % #bodies + 1
    return wrk.format(nil, "/api/v1/quotes", nil, bodies[i])
end
