from django.urls import path

from apprenance.urls import urlpatterns as product
from bench.views import reference

urlpatterns = [path("bench/reference/", reference, name="bench_reference"), *product]
