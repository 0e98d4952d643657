from django.shortcuts import render


def how_it_works(request):
    """How borrowing an experience resource works, in plain words, with the way in to the form."""
    return render(request, "requests_app/how_it_works.html")
